import type { Command } from './command.js';
import { tcCommand } from './tc.js';
import { inspectCommand } from './inspect.js';
import { convertCommand } from './convert.js';
import { aafCommand } from './aaf.js';
import { bwfCommand } from './bwf.js';
import { conformCommand } from './conform.js';
import { diffCommand } from './diff.js';
import { gradeCommand } from './grade.js';

/** Every subcommand, in the order `dubstage --help` lists them. */
export const COMMANDS: readonly Command[] = [inspectCommand, convertCommand, tcCommand, bwfCommand, aafCommand, conformCommand, diffCommand, gradeCommand];
