import { UsageError } from './io.js';

/** One option a command accepts. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Allowed values of a string option. */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `--name value`, `--name=value`, `-x value` and `--flag`. A token that looks like a
 * negative number (`-5`, `-00:00:01:00`) is a value, not an option; `--` ends options.
 * @throws UsageError for unknown options, missing values and values outside `choices`.
 */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const values: Record<string, string | boolean | undefined> = Object.create(null);
  const positionals: string[] = [];
  const shorts = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.short) shorts.set(s.short, name);
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    if (tok === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!tok.startsWith('-') || tok === '-' || /^-[\d.]/.test(tok)) {
      positionals.push(tok);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      inline = eq < 0 ? undefined : tok.slice(eq + 1);
    } else {
      const long = shorts.get(tok.slice(1));
      if (!long) throw new UsageError(`unknown option ${tok}`);
      name = long;
    }
    const s = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    let v = inline;
    if (v === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      v = argv[++i] as string;
    }
    if (s.choices && !s.choices.includes(v)) {
      throw new UsageError(`--${name} must be one of ${s.choices.join(', ')} (got "${v}")`);
    }
    values[name] = v;
  }
  return { values, positionals };
}
