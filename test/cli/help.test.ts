import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { runCli } from '../helpers/cli.js';

// Issue 12, CLI polish: every command has the same help shape (usage, examples, exit status as
// DESIGN.md states them: 0 success, 1 invalid input, 2 usage error) and takes --json.
describe('every command', () => {
  test.each(COMMANDS.map((c) => [c.name]))('%s --help: usage, examples, exit status, --json', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: dubstage ${name}`));
    expect(r.stdout).toContain('examples:');
    expect(r.stdout).toMatch(/Exit status: 0 [^\n]*1 [^\n]*2 usage error/);
    expect(r.stdout).toContain('--json');
  });

  test.each(COMMANDS.map((c) => [c.name]))('%s with an unknown option is a usage error (exit 2) that says what to do', async (name) => {
    const r = await runCli([name, '--no-such-option']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--no-such-option/);
    expect(r.stderr).toContain(`usage: dubstage ${name}`); // the usage follows the error
  });
});
