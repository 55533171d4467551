/**
 * Input lists for batch commands: each argument is a file, a folder (every file under it whose
 * extension the command reads, recursively) or a glob (`*`, `?`, `[abc]`, `**` for any depth) that
 * the shell did not expand (quoted, or on Windows). The result is sorted, without duplicates.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** What {@link expandInputs} found. */
export interface ExpandedInputs {
  /** Files to process, in a stable order. */
  readonly files: string[];
  /** Arguments that named nothing: a missing path or a glob without matches. */
  readonly unmatched: string[];
  /**
   * True when an argument was a folder or a glob (even one matching a single file or none): the
   * command is working on a batch, not on the one file the user named.
   */
  readonly expanded: boolean;
}

/** Options of {@link expandInputs}. */
export interface ExpandOptions {
  /** Lower-case extensions with the dot (`.wav`) that folder and glob expansion keep; all when absent. */
  readonly extensions?: readonly string[];
  /** Working folder for relative paths (default: `process.cwd()`). */
  readonly cwd?: string;
  /** Most files one argument may expand to (default 1,000,000), so a stray `/**` cannot run away. */
  readonly maxFiles?: number;
}

const GLOB = /[*?[]/;

function keep(file: string, extensions: readonly string[] | undefined): boolean {
  if (!extensions) return true;
  const lower = file.toLowerCase();
  return extensions.some((e) => lower.endsWith(e));
}

/** Every file under `dir`, depth first, names sorted; hidden entries (`.x`) skipped. */
function walk(dir: string, out: string[], limit: number): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= limit) return;
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out, limit);
    else if (e.isFile()) out.push(p);
  }
}

/** A glob segment (no `/`) as a regular expression. */
function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when `path` (relative, `/`-separated) matches the glob's segments, `**` spanning any depth. */
function matchSegments(parts: readonly string[], pats: readonly (RegExp | '**')[], pi = 0, si = 0): boolean {
  if (pi === pats.length) return si === parts.length;
  const p = pats[pi] as RegExp | '**';
  if (p === '**') {
    for (let k = si; k <= parts.length; k++) if (matchSegments(parts, pats, pi + 1, k)) return true;
    return false;
  }
  return si < parts.length && p.test(parts[si] as string) && matchSegments(parts, pats, pi + 1, si + 1);
}

/** The files a glob matches, each as the glob's literal folder (as typed) joined to the rest. */
function expandGlob(pattern: string, cwd: string, limit: number): string[] {
  const normalized = pattern.split(sep).join('/');
  const segments = normalized.split('/');
  // The literal folder before the first segment with a wildcard is where the walk starts.
  const first = segments.findIndex((s) => GLOB.test(s));
  const baseParts = segments.slice(0, first);
  const typed = baseParts.length === 0 ? '.' : baseParts.join('/') || '/';
  const base = resolve(cwd, typed);
  const pats = segments.slice(first).map((s) => (s === '**' ? ('**' as const) : segmentRegex(s)));
  const all: string[] = [];
  walk(base, all, limit);
  return all.filter((f) => matchSegments(relative(base, f).split(sep), pats)).map((f) => join(typed, relative(base, f)));
}

/** True when `arg` is a folder or a glob rather than one file's name (an existing `take[1].wav` is a file). */
export function isPattern(arg: string, cwd: string = process.cwd()): boolean {
  try {
    return statSync(resolve(cwd, arg)).isDirectory();
  } catch {
    // not there: a glob or a missing file
  }
  return GLOB.test(arg);
}

/**
 * Expands command-line inputs into files. Literal files are kept whatever their extension (the
 * user named them); folders and globs keep files with `extensions`.
 */
export function expandInputs(args: readonly string[], options: ExpandOptions = {}): ExpandedInputs {
  const cwd = options.cwd ?? process.cwd();
  const limit = options.maxFiles ?? 1_000_000;
  const seen = new Set<string>();
  const files: string[] = [];
  const unmatched: string[] = [];
  let expanded = false;
  const add = (f: string) => {
    const key = resolve(cwd, f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const arg of args) {
    let stat;
    try {
      stat = statSync(resolve(cwd, arg));
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      add(arg);
      continue;
    }
    // Found files are named from the argument as typed (`/data/day1/a.wav` stays absolute,
    // `day1/a.wav` relative), so messages name files the way the user did.
    let found: string[];
    if (stat?.isDirectory() || (!stat && GLOB.test(arg))) expanded = true;
    if (stat?.isDirectory()) {
      const root = resolve(cwd, arg);
      found = [];
      walk(root, found, limit);
      found = found.map((f) => join(arg, relative(root, f)));
    } else if (GLOB.test(arg)) found = expandGlob(arg, cwd, limit);
    else found = [];
    const kept = found.filter((f) => keep(f, options.extensions));
    if (kept.length === 0) unmatched.push(arg);
    for (const f of kept) add(f);
  }
  return { files, unmatched, expanded };
}
