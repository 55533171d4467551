/**
 * The `tracks` check: how a Foley or sound-effects session is laid out. Groups of items, each
 * group scored as the mean credit of its items and the check as the mean of the groups present:
 * - `required`: each named track exists (`missing` otherwise);
 * - `order`: the required tracks appear in the listed order (one item);
 * - `noOverlaps` (default on): no two clips of one track overlap beyond a crossfade (one item per track);
 * - `placement`: clips whose name or media matches a pattern sit on a track matching its pattern;
 * - `checkerboard`: on the listed tracks, consecutive clips of different media are at least
 *   `minGap` (default 1 frame) apart, so each layer can be processed on its own (one item per
 *   track with regions, credit = 1 − violations / adjacent pairs; a `missing` item when fewer than
 *   two of the tracks have regions).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import type { Clip, Timeline, Track } from '../../model/types.js';
import { Rational } from '../../time/rational.js';
import { absolute, label, toleranceSeconds, type GradeClock } from '../evidence.js';
import { mediaKey } from '../compare.js';
import { namePattern, type TracksCheck } from '../rubric.js';
import type { GradeContext } from '../submission.js';
import type { CheckItem, CheckResult } from '../types.js';

function clipStart(t: Timeline, c: Clip): Rational {
  return absolute(t.startTimecode, c.start);
}

/** Overlapping consecutive clips of a track not covered by a transition. */
function overlaps(track: Track): [Clip, Clip][] {
  const clips = [...track.clips].sort((a, b) => a.start.compare(b.start));
  const out: [Clip, Clip][] = [];
  let prev: Clip | undefined;
  let prevEnd: Rational | undefined;
  for (const c of clips) {
    if (c.duration.isZero()) continue;
    const s = c.start.seconds;
    if (prev && prevEnd && s.compare(prevEnd) < 0) {
      // A crossfade that spans the overlap explains it.
      const covered = track.transitions.some((x) => x.start.seconds.compare(s) <= 0 && x.start.plus(x.duration).seconds.compare(prevEnd as Rational) >= 0);
      if (!covered) out.push([prev, c]);
    }
    const e = c.start.plus(c.duration).seconds;
    if (!prevEnd || e.compare(prevEnd) > 0) {
      prevEnd = e;
      prev = c;
    }
  }
  return out;
}

/** Runs a `tracks` check. */
export async function runTracksCheck(check: TracksCheck & { id: string }, ctx: GradeContext): Promise<CheckResult> {
  const diagnostics: Diagnostic[] = [];
  const title = check.title ?? 'Tracks';
  const found = await ctx.firstTimeline(check.file, diagnostics);
  if (!found) {
    diagnostics.push(error('grade/no-file', `no submitted file reads as a session${check.file !== undefined ? ` (pattern "${check.file}")` : ''}`));
    return { id: check.id, kind: 'tracks', title, weight: check.weight, score: 0, items: [], feedback: [`${title}: no session export was found.`], diagnostics };
  }
  const t = found.timeline;
  const clock: GradeClock = { rate: t.frameRate, sampleRate: t.sampleRate };
  const audio = t.tracks.filter((x) => x.kind === 'audio');
  const groups: { name: string; items: CheckItem[] }[] = [];
  const names = audio.map((x) => `'${x.name}'`).join(', ');

  if (check.required && check.required.length > 0) {
    const items: CheckItem[] = [];
    const positions: number[] = [];
    for (const r of check.required) {
      const test = namePattern(r);
      const k = audio.findIndex((x) => test(x.name));
      if (k >= 0) positions.push(k);
      items.push(k >= 0
        ? { id: `track ${r}`, verdict: 'match', credit: 1, feedback: `Track '${audio[k]?.name}' is present.`, evidence: { expected: r, actual: audio[k]?.name as string } }
        : { id: `track ${r}`, verdict: 'missing', credit: 0, feedback: `Track '${r}' is missing (the session has ${names || 'no audio tracks'}).`, evidence: { expected: r } });
    }
    groups.push({ name: 'required', items });
    if (check.order) {
      const inOrder = positions.every((p, i) => i === 0 || p > (positions[i - 1] as number));
      const actualOrder = positions.map((p) => audio[p]?.name).join(', ');
      groups.push({ name: 'order', items: [inOrder
        ? { id: 'track order', verdict: 'match', credit: 1, feedback: 'The tracks are in the required order.', evidence: { expected: check.required.join(', '), actual: actualOrder } }
        : { id: 'track order', verdict: 'wrong-value', credit: 0, feedback: `The tracks are not in the required order: ${actualOrder}; expected ${check.required.join(', ')}.`, evidence: { expected: check.required.join(', '), actual: actualOrder } }] });
    }
  }

  if (check.noOverlaps ?? true) {
    const items: CheckItem[] = [];
    for (const tr of audio) {
      if (tr.clips.length === 0) continue;
      const ov = overlaps(tr);
      if (ov.length === 0) items.push({ id: `overlaps ${tr.name}`, verdict: 'match', credit: 1, feedback: `Track '${tr.name}' has no overlapping regions.`, evidence: {} });
      else {
        const [a, b] = ov[0] as [Clip, Clip];
        items.push({
          id: `overlaps ${tr.name}`, verdict: 'fail', credit: 0,
          feedback: `Track '${tr.name}' has ${ov.length} overlapping region${ov.length === 1 ? '' : 's'}: '${b.name}' at ${label(clipStart(t, b), clock)} starts before '${a.name}' ends at ${label(absolute(t.startTimecode, a.start.plus(a.duration)), clock)}.`,
          evidence: { actual: label(clipStart(t, b), clock), detail: { count: ov.length, first: a.name, second: b.name } },
        });
      }
    }
    if (items.length > 0) groups.push({ name: 'overlaps', items });
  }

  if (check.placement && check.placement.length > 0) {
    const items: CheckItem[] = [];
    const media = new Map(t.media.map((m) => [m.id, m]));
    for (const rule of check.placement) {
      const clipTest = namePattern(rule.clip);
      const trackTest = namePattern(rule.track);
      let any = false;
      for (const tr of audio) {
        for (const c of tr.clips) {
          const m = mediaKey(c.media ? media.get(c.media.mediaId) : undefined, c);
          if (!clipTest(c.name) && !clipTest(m.name)) continue;
          any = true;
          const at = label(clipStart(t, c), clock);
          items.push(trackTest(tr.name)
            ? { id: `placement ${c.name}@${at}`, verdict: 'match', credit: 1, feedback: `'${c.name}' at ${at} is on '${tr.name}'.`, evidence: { expected: rule.track, actual: tr.name } }
            : { id: `placement ${c.name}@${at}`, verdict: 'wrong-track', credit: 0, feedback: `'${c.name}' at ${at} is on track '${tr.name}'; it belongs on a track matching ${rule.track}.`, evidence: { expected: rule.track, actual: tr.name } });
        }
      }
      if (!any) items.push({ id: `placement ${rule.clip}`, verdict: 'missing', credit: 0, feedback: `No region matching ${rule.clip} was found.`, evidence: { expected: rule.clip } });
    }
    groups.push({ name: 'placement', items });
  }

  if (check.checkerboard) {
    const tests = check.checkerboard.tracks.map(namePattern);
    const minGap = toleranceSeconds(check.checkerboard.minGap ?? { value: 1, unit: 'frames' }, clock);
    const media = new Map(t.media.map((m) => [m.id, m]));
    const items: CheckItem[] = [];
    // Empty tracks carry no layers: they neither pass nor fail on their own.
    const board = audio.filter((tr) => tests.some((f) => f(tr.name)) && tr.clips.some((c) => !c.duration.isZero()));
    if (board.length < 2) items.push({ id: 'checkerboard tracks', verdict: 'missing', credit: 0, feedback: `Checkerboarding needs regions on at least two tracks matching ${check.checkerboard.tracks.join(', ')}; ${board.length === 1 ? `only '${board[0]?.name}' has any` : 'none has any'}.`, evidence: { expected: check.checkerboard.tracks.join(', '), actual: board.map((b) => b.name).join(', ') } });
    for (const tr of board) {
      const clips = [...tr.clips].filter((c) => !c.duration.isZero()).sort((a, b) => a.start.compare(b.start));
      let pairs = 0;
      const bad: [Clip, Clip][] = [];
      for (let i = 1; i < clips.length; i++) {
        const a = clips[i - 1] as Clip;
        const b = clips[i] as Clip;
        pairs++;
        const ka = mediaKey(a.media ? media.get(a.media.mediaId) : undefined, a).key;
        const kb = mediaKey(b.media ? media.get(b.media.mediaId) : undefined, b).key;
        const gap = b.start.minus(a.start.plus(a.duration)).seconds;
        if (ka !== kb && gap.compare(minGap) < 0) bad.push([a, b]);
      }
      const c = pairs === 0 ? 1 : 1 - bad.length / pairs;
      const first = bad[0];
      items.push(first
        ? { id: `checkerboard ${tr.name}`, verdict: 'fail', credit: c, feedback: `Track '${tr.name}': ${bad.length} of ${pairs} adjacent regions butt against different material (first '${first[0].name}' → '${first[1].name}' at ${label(clipStart(t, first[1]), clock)}); alternate them onto the other checkerboard tracks.`, evidence: { actual: label(clipStart(t, first[1]), clock), detail: { violations: bad.length, pairs } } }
        : { id: `checkerboard ${tr.name}`, verdict: 'match', credit: 1, feedback: `Track '${tr.name}' is checkerboarded.`, evidence: { detail: { pairs } } });
    }
    groups.push({ name: 'checkerboard', items });
  }

  const items = groups.flatMap((g) => g.items);
  const groupScores = groups.filter((g) => g.items.length > 0).map((g) => g.items.reduce((s, i) => s + i.credit, 0) / g.items.length);
  const score = groupScores.length === 0 ? 1 : groupScores.reduce((s, x) => s + x, 0) / groupScores.length;
  const feedback = [
    `${title}: ${groups.map((g) => `${g.name} ${g.items.filter((i) => i.verdict === 'match').length}/${g.items.length}`).join(', ')} (read from ${found.file.path}).`,
    ...items.filter((i) => i.verdict !== 'match').map((i) => i.feedback),
  ];
  return { id: check.id, kind: 'tracks', title, weight: check.weight, score, items, feedback, diagnostics };
}
