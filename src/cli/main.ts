import { version } from '../../package.json';
import { COMMANDS } from './commands/index.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `dubstage ${version}: exact, typed audio post-production interchange`,
    '',
    'usage: dubstage COMMAND [ARGS...]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `dubstage COMMAND --help` for a command\'s options. Every command takes --json.',
    'Exit status: 0 success, 1 invalid input, 2 usage error.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic && COMMANDS.find((c) => c.name === topic);
    if (topic && !cmd) {
      io.stderr.write(`dubstage: unknown command "${topic}"\n\n${overview()}\n`);
      return EXIT_USAGE;
    }
    io.stdout.write((cmd ? cmd.usage : overview()) + '\n');
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(version + '\n');
    return EXIT_OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`dubstage: unknown command "${name}"\n\n${overview()}\n`);
    return EXIT_USAGE;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`dubstage ${cmd.name}: ${e.message}\n\n${cmd.usage}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
