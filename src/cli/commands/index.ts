import type { Command } from './command.js';
import { tcCommand } from './tc.js';

/** Every subcommand, in the order `dubstage --help` lists them. */
export const COMMANDS: readonly Command[] = [tcCommand];
