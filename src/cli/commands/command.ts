import type { CliIo } from '../io.js';

/** A `dubstage` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for `dubstage --help`. */
  readonly summary: string;
  /** The full usage text for `dubstage help NAME` and `dubstage NAME --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit status. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
