/**
 * ptulsconv's tagging conventions for ADR and spotting data written into Pro Tools names
 * (spec/protools.md §1.11): `$KEY=value`, `{KEY=any text}`, `[FLAG]`, and a leading mode
 * character (`@` time span, `&` append, `!` directive) on clip names.
 */

/** How a clip name's leading character changes its meaning. */
export type TagMode = 'normal' | 'timespan' | 'append' | 'directive';

/** A parsed name or comment. */
export interface TaggedText {
  /** The text before the first tag, trimmed (the line or prompt). */
  readonly content: string;
  /** Tag fields; a flag `[KEY]` has the value `KEY`. A repeated key keeps its last value. */
  readonly fields: Readonly<Record<string, string>>;
  readonly mode: TagMode;
}

const TAG = /\$([A-Za-z][A-Za-z0-9_]*)=(\S*)|\{([A-Za-z][A-Za-z0-9_]*)=([^}]*)\}|\[([A-Za-z][A-Za-z0-9_]*)\]/g;

/**
 * Parses tags out of a name or comment. Plain words after the first tag are discarded (as
 * ptulsconv does). `withMode` reads a leading `@`, `&` or `!` (clip names only).
 */
export function parseTags(text: string, withMode = false): TaggedText {
  let s = text;
  let mode: TagMode = 'normal';
  if (withMode) {
    const c = s.trimStart()[0];
    if (c === '@' || c === '&' || c === '!') {
      mode = c === '@' ? 'timespan' : c === '&' ? 'append' : 'directive';
      s = s.trimStart().slice(1);
    }
  }
  const fields: Record<string, string> = {};
  let first = -1;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(s); m !== null; m = TAG.exec(s)) {
    if (first < 0) first = m.index;
    if (m[1] !== undefined) fields[m[1]] = m[2] ?? '';
    else if (m[3] !== undefined) fields[m[3]] = m[4] ?? '';
    else if (m[5] !== undefined) fields[m[5]] = m[5];
  }
  return { content: (first < 0 ? s : s.slice(0, first)).trim(), fields, mode };
}

/** Field names ptulsconv's ADR reports use (spec §1.11); boolean fields are true when present. */
export const ADR_FIELDS = {
  project: ['Title', 'Supv', 'Client', 'Spot'],
  range: ['Sc', 'Ver', 'Reel'],
  line: ['P', 'QN', 'CN', 'Char', 'Actor', 'Line', 'R', 'Mins', 'Shot', 'Note', 'Rq'],
  flags: ['EFF', 'TV', 'TBW', 'ADLIB', 'OPT', 'OMIT'],
} as const;
