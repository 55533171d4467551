import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` beside the repository (where CI puts it), or `$DUBSTAGE_SHARED`. A user's clone has
 * none; corpus tests skip with a message then.
 */
export const SHARED_DIR = process.env.DUBSTAGE_SHARED ?? resolve(REPO_ROOT, '..', 'shared');

/** `../shared/corpus/<format>` if present, else undefined (and a message on stderr once). */
export function corpusDir(format: string): string | undefined {
  const dir = join(SHARED_DIR, 'corpus', format);
  if (existsSync(dir)) return dir;
  process.stderr.write(`skipping ${format} corpus tests: ${dir} is absent (it sits beside the repository in CI)\n`);
  return undefined;
}

/** Files of a corpus folder (sorted), or [] when the folder is absent. */
export function corpusFiles(format: string, filter: (name: string) => boolean = () => true): string[] {
  const dir = corpusDir(format);
  if (!dir) return [];
  return readdirSync(dir).filter(filter).sort().map((f) => join(dir, f));
}
