/**
 * Change reports of a conform (spec/conform.md §6): the JSON report
 * (`dubstage.conform.report/1`), the fixed-width table, the shuffle script, a change EDL and an
 * SVG picture of the old and new cuts. All renderers are deterministic (I9).
 */
import type { FrameRate } from '../time/frame-rate.js';
import { formatFrames } from '../time/timecode.js';
import { frameToSample } from './apply.js';
import type { ChangeRow, ConformResult, CutSummary, Frame, ReelSummary } from './types.js';

const tc = (f: Frame, rate: FrameRate): string => formatFrames(f, rate);

/** Feet+frames of a frame counted from picture start, 35 mm 4-perf (16 frames a foot; spec §1.5). */
export function feetFrames(framesFromPictureStart: number): string {
  const n = framesFromPictureStart;
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}${String(Math.floor(a / 16)).padStart(4, '0')}+${String(a % 16).padStart(2, '0')}`;
}

function side(s: CutSummary, rate: FrameRate): Record<string, unknown> {
  const lfoa = s.end - 1;
  return {
    name: s.name, ffoa: tc(s.ffoa, rate), lfoa: tc(lfoa, rate),
    lfoaFeet: s.pictureStart !== undefined ? feetFrames(lfoa - s.pictureStart) : null,
    lengthFrames: s.end - s.ffoa,
  };
}

function reelSide(s: ReelSummary, rate: FrameRate): Record<string, unknown> {
  const lfoa = s.end - 1;
  return { name: s.name, ffoa: tc(s.ffoa, rate), lfoa: tc(lfoa, rate), lfoaFeet: s.pictureStart !== undefined ? feetFrames(lfoa - s.pictureStart) : null, lengthFrames: s.end - s.ffoa };
}

/** Name of the new reel that holds a session sample (the last reel whose leader starts at or before it). */
function pieceReel(r: ConformResult, sample: number): string {
  const reels = r.map.new.reels;
  let name = (reels[0] as ReelSummary).name;
  for (const x of reels) if (frameToSample(x.pictureStart ?? x.ffoa, r.startFrame, r.sampleRate, r.map.rate) <= sample) name = x.name;
  return name;
}

/** Total change in frames: new length − old length, summed over reels (spec §1.5, §5.8). */
export function totalChange(r: ConformResult): number {
  const len = (reels: readonly ReelSummary[]): number => reels.reduce((a, x) => a + x.end - x.ffoa, 0);
  return len(r.map.new.reels) - len(r.map.old.reels);
}

/**
 * The JSON report object (spec §6.2). `*Frames` fields count from the ffoa of their own side;
 * deltas are absolute; sample fields are session samples.
 */
export function reportObject(r: ConformResult): Record<string, unknown> {
  const m = r.map;
  const rate = m.rate;
  const label = (x: readonly [Frame, Frame] | undefined): [string, string] | null => (x ? [tc(x[0], rate), tc(x[1], rate)] : null);
  return {
    schema: 'dubstage.conform.report/1',
    rate: { num: Number(rate.rate.num), den: Number(rate.rate.den), nominal: rate.nominalFps, dropFrame: rate.dropFrame },
    sampleRate: r.sampleRate,
    old: side(m.old, rate),
    new: side(m.new, rate),
    totalChangeFrames: totalChange(r),
    ...(m.old.reels.length > 1 ? {
      reels: m.old.reels.map((o, k) => {
        const n = m.new.reels[k] ?? o;
        return { old: reelSide(o, rate), new: reelSide(n, rate), headDelta: n.ffoa - o.ffoa, tailDelta: n.end - o.end, changeFrames: (n.end - n.ffoa) - (o.end - o.ffoa) };
      }),
    } : {}),
    headDelta: m.headDelta,
    tailDelta: m.tailDelta,
    map: m.entries.map((e) => ({
      kind: e.kind, new: label(e.new),
      newFrames: [e.new[0] - m.new.ffoa, e.new[1] - m.new.ffoa],
      oldFrames: e.old ? [e.old[0] - m.old.ffoa, e.old[1] - m.old.ffoa] : null,
      delta: e.delta ?? null, role: e.role ?? null, backbone: e.backbone ?? false, secondary: e.secondary ?? false,
      keys: [...new Set(e.parts.map((p) => p.key))],
    })),
    rows: m.rows.map((x) => ({
      id: x.id, type: x.type, key: x.key, anchor: tc(x.anchor, rate), length: x.length,
      old: label(x.old), new: label(x.new), runningTotal: x.runningTotal, lift: x.group === 'LIFT',
      group: x.group ?? null, moveId: x.moveId ?? null, detail: x.detail ?? null,
    })),
    shifted: m.shifted.map((s) => ({ key: s.key, delta: s.delta })),
    regions: r.regions.map((oc) => ({
      regionId: oc.regionId, track: oc.track, name: oc.name, op: oc.op, copied: oc.copied,
      pieces: oc.pieces.map((p) => ({
        name: p.region.name, start: p.start, end: p.end, fileOffset: p.fileOffset, role: p.role, cutHead: p.cutHead, cutTail: p.cutTail,
        ...(m.new.reels.length > 1 ? { reel: pieceReel(r, p.start) } : {}),
      })),
      removed: oc.removed.map((p) => ({ oldStart: p.oldStart, oldEnd: p.oldEnd, fileOffset: p.fileOffset, rowId: p.rowId, reason: p.reason, lane: p.lane ?? null, placedStart: p.placedStart })),
    })),
    treatments: r.treatments.map((t) => ({ kind: t.kind, track: t.track, at: t.at, lengthSamples: t.lengthSamples, extendA: t.extendA, extendB: t.extendB })),
    warnings: r.warnings.map((w) => ({ code: w.code, track: w.track ?? null, at: w.at !== undefined ? tc(w.at, rate) : null, message: w.message })),
  };
}

/** The JSON report as text (two-space indent, stable key order; spec §6.2, I9). */
export function renderJson(r: ConformResult): string {
  return JSON.stringify(reportObject(r), null, 2) + '\n';
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function rateText(rate: FrameRate): string {
  const num = Number(rate.rate.num);
  const den = Number(rate.rate.den);
  // display only: 24000/1001 is shown as 23.976
  const fps = den === 1 ? String(num) : (Math.round((num * 1000) / den) / 1000).toFixed(3);
  return `${fps} fps ${rate.dropFrame ? 'DF' : 'NDF'}`;
}

/** The fixed-width human table (spec §6.3). Grouped rows carry their group in brackets. */
export function renderTable(r: ConformResult): string {
  const m = r.map;
  const rate = m.rate;
  const nominal = rate.nominalFps;
  const total = totalChange(r);
  const sideLine = (tag: string, s: CutSummary): string => {
    const lfoa = s.end - 1;
    const feet = s.pictureStart !== undefined ? ` (${feetFrames(lfoa - s.pictureStart)})` : '';
    return `${tag}  FFOA ${tc(s.ffoa, rate)}  LFOA ${tc(lfoa, rate)}${feet}  ${s.end - s.ffoa} fr`;
  };
  const abs = Math.abs(total);
  const sign = total < 0 ? '-' : '+';
  // a cut comparison without a session (`conform diff`) has no sample rate to show
  const khz = r.session.tracks.length === 0 ? '' : r.sampleRate % 1000 === 0 ? `   ${r.sampleRate / 1000} kHz` : `   ${r.sampleRate} Hz`;
  const lines = [
    `CONFORM  ${m.old.name} -> ${m.new.name}     ${rateText(rate)}${khz}`,
    sideLine('OLD', m.old),
    `${sideLine('NEW', m.new)}      TOTAL CHANGE ${sign}${abs} fr (${sign}${Math.floor(abs / nominal)}s${abs % nominal}f)`,
    '',
    `  #  ${'TYPE'.padEnd(12)}${'SHOT'.padEnd(7)}${'AT (NEW)'.padEnd(13)}${'LEN'.padEnd(6)}${'OLD IN'.padEnd(13)}${'OLD OUT'.padEnd(13)}${'NEW IN'.padEnd(13)}${'NEW OUT'.padEnd(13)}TOTAL`,
  ];
  if (m.old.reels.length > 1) {
    const feet = (x: ReelSummary): string => (x.pictureStart !== undefined ? ` (${feetFrames(x.end - 1 - x.pictureStart)})` : '');
    const reelLines = m.old.reels.map((o, k) => {
      const n = m.new.reels[k] ?? o;
      return `REEL ${o.name}: OLD LFOA ${tc(o.end - 1, rate)}${feet(o)}  NEW LFOA ${tc(n.end - 1, rate)}${feet(n)}  CHANGE ${signed((n.end - n.ffoa) - (o.end - o.ffoa))} fr`;
    });
    lines.splice(3, 0, ...reelLines);
  }
  const cell = (f: Frame | undefined): string => (f === undefined ? '-' : tc(f, rate)).padEnd(13);
  for (const x of m.rows) {
    const showOld = x.length < 0 || x.type === 'COPY' ? x.old : undefined;
    const showNew = x.length > 0 ? x.new : undefined;
    lines.push(`${String(x.id).padStart(3)}  ${x.type.padEnd(12)}${x.key.padEnd(7)}${cell(x.anchor)}${signed(x.length).padEnd(6)}${cell(showOld?.[0])}${cell(showOld?.[1])}${cell(showNew?.[0])}${cell(showNew?.[1])}${signed(x.runningTotal)}${x.group ? `  [${x.group}]` : ''}${x.detail ? `  ${x.detail}` : ''}`);
  }
  if (m.shifted.length) lines.push(`SHIFTED: ${m.shifted.map((s) => `${s.key} ${signed(s.delta)}`).join(', ')}`);
  for (const w of r.warnings) lines.push(`WARNING ${w.code}${w.track ? ` ${w.track}` : ''}${w.at !== undefined ? ` at ${tc(w.at, rate)}` : ''}: ${w.message}`);
  return lines.join('\n') + '\n';
}

function shuffleStep(x: ChangeRow, at: string, rate: FrameRate): string | undefined {
  const n = Math.abs(x.length);
  switch (x.type) {
    case 'TRIM_HEAD': case 'TRIM_TAIL': case 'DELETE': case 'REMOVE_PART': case 'OLD_GAP':
      return `at ${at} cut ${n} frames (${x.type} ${x.key})`;
    case 'MOVE_FROM': return `at ${at} cut ${n} frames to a spare track (move ${x.moveId ?? ''}, ${x.key})`;
    case 'MOVE_TO': return `at ${at} paste the ${n} frames of move ${x.moveId ?? ''} (${x.key})`;
    case 'COPY': return `at ${at} insert a copy of ${n} frames from old ${x.old ? tc(x.old[0], rate) : ''} (${x.key})`;
    case 'INSERT': case 'EXTEND_HEAD': case 'EXTEND_TAIL': case 'GAP_OPEN':
      return `at ${at} insert ${n} frames (${x.type} ${x.key})`;
    default: return undefined;
  }
}

/**
 * The shuffle script (spec §6.4): head-to-tail steps at new anchors, then the tail-to-head
 * variant at old positions (a row's old coordinate = its anchor minus the previous row's running
 * total, `headDelta` for the first row).
 */
export function renderShuffle(r: ConformResult): string {
  const rate = r.map.rate;
  const rows = r.map.rows;
  const lines = ['HEAD TO TAIL (Shuffle mode, all conformed tracks, new positions):'];
  let k = 0;
  for (const x of rows) {
    const s = shuffleStep(x, tc(x.anchor, rate), rate);
    if (s) lines.push(`  (${++k}) ${s}`);
  }
  lines.push('', 'TAIL TO HEAD (old positions):');
  k = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    const x = rows[i] as ChangeRow;
    const prevTotal = i === 0 ? r.map.headDelta : (rows[i - 1] as ChangeRow).runningTotal;
    const s = shuffleStep(x, tc(x.anchor - prevTotal, rate), rate);
    if (s) lines.push(`  (${++k}) ${s}`);
  }
  if (k === 0) lines.push('  (no changes)');
  return lines.join('\n') + '\n';
}

/**
 * A change EDL (CMX3600): one event per map entry of the new cut. Matched and bridged stretches
 * name reel `OLDCUT` with the old record range as source; inserts and gaps are black (`BL`) with
 * the new shot named in a comment.
 */
export function renderChangeEdl(r: ConformResult, title = 'CONFORM CHANGES'): string {
  const m = r.map;
  const rate = m.rate;
  const lines = [`TITLE: ${title}`, `FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`, ''];
  let n = 0;
  for (const e of m.entries) {
    n++;
    const num = String(n).padStart(3, '0');
    const keys = [...new Set(e.parts.map((p) => p.key.toUpperCase()))].join(' ');
    if (e.old) {
      lines.push(`${num}  OLDCUT   V     C        ${tc(e.old[0], rate)} ${tc(e.old[1], rate)} ${tc(e.new[0], rate)} ${tc(e.new[1], rate)}`);
      lines.push(`* ${e.kind.toUpperCase()}${e.role === 'copy' ? ' COPY' : ''} DELTA ${signed(e.delta ?? 0)}${keys ? ` ${keys}` : ''}`);
    } else {
      const len = e.new[1] - e.new[0];
      lines.push(`${num}  BL       V     C        ${tc(0, rate)} ${tc(len, rate)} ${tc(e.new[0], rate)} ${tc(e.new[1], rate)}`);
      lines.push(`* ${e.kind.toUpperCase()}${keys ? ` ${keys}` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const COLOURS: Record<string, string> = {
  unchanged: '#9e9e9e', shifted: '#43a047', moved: '#1e88e5', copy: '#00acc1', removed: '#e53935', insert: '#d81b60', gap: '#212121', bridge: '#bdbdbd',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An SVG picture of the conform: the old cut on top, the new cut below, every matched stretch
 * joined by a band; colours: unchanged grey, shifted green, moved blue, copy cyan, removed red,
 * inserted magenta, black gaps; shot names inside the blocks, a legend, and hover titles with the
 * exact timecodes and deltas. Coordinates are rounded to 0.01 px (display only).
 */
export function renderSvg(r: ConformResult): string {
  const m = r.map;
  const rate = m.rate;
  const lo = Math.min(m.old.ffoa, m.new.ffoa);
  const hi = Math.max(m.old.end, m.new.end, lo + 1);
  const W = 1000;
  const px = (v: number): number => Math.round(v * 100) / 100;
  const x = (f: Frame): number => px(((f - lo) / (hi - lo)) * W + 20);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W + 40}" height="270" viewBox="0 0 ${W + 40} 270" font-family="sans-serif" font-size="10">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="20" y="14">${esc(m.old.name)} (old)  ${tc(m.old.ffoa, rate)}–${tc(m.old.end, rate)}</text>`,
    `<text x="20" y="232">${esc(m.new.name)} (new)  ${tc(m.new.ffoa, rate)}–${tc(m.new.end, rate)}</text>`,
  ];
  const rect = (f0: Frame, f1: Frame, y: number, colour: string, title: string, label?: string): void => {
    const w = Math.max(0.5, px(x(f1) - x(f0)));
    out.push(`<rect x="${x(f0)}" y="${y}" width="${w}" height="40" fill="${colour}" stroke="#fff" stroke-width="0.5"><title>${esc(title)}</title></rect>`);
    // a label only where it fits (about 6 px a character at 10 px)
    if (label && w >= label.length * 6 + 4) out.push(`<text x="${px(x(f0) + w / 2)}" y="${y + 24}" text-anchor="middle" fill="#fff">${esc(label)}</text>`);
  };
  const labelOf = (keys: string, e: { delta?: number; kind: string }): string => (e.delta !== undefined && e.delta !== 0 ? `${keys} ${signed(e.delta)}` : keys);
  for (const e of m.entries) {
    const kind = e.kind === 'match' ? (e.role === 'copy' ? 'copy' : !e.backbone ? 'moved' : e.delta === 0 ? 'unchanged' : 'shifted') : e.kind;
    const colour = COLOURS[kind] as string;
    const keys = [...new Set(e.parts.map((p) => p.key.toUpperCase()))].join(' ');
    const title = `${kind} ${keys} new ${tc(e.new[0], rate)}–${tc(e.new[1], rate)}${e.delta !== undefined ? ` delta ${signed(e.delta)}` : ''}`;
    rect(e.new[0], e.new[1], 180, colour, title, labelOf(keys, e));
    if (e.old) {
      if (e.kind === 'match' && e.role !== 'copy') rect(e.old[0], e.old[1], 20, colour, title, keys);
      out.push(`<polygon points="${x(e.old[0])},60 ${x(e.old[1])},60 ${x(e.new[1])},180 ${x(e.new[0])},180" fill="${colour}" fill-opacity="0.25"/>`);
    }
  }
  for (const row of m.rows) {
    if (row.length < 0 && row.old && row.type !== 'MOVE_FROM') rect(row.old[0], row.old[1], 20, COLOURS.removed as string, `${row.type} ${row.key} ${signed(row.length)}`, signed(row.length));
  }
  let lx = 20;
  for (const k of ['unchanged', 'shifted', 'moved', 'copy', 'removed', 'insert', 'gap', 'bridge']) {
    out.push(`<rect x="${lx}" y="248" width="10" height="10" fill="${COLOURS[k] as string}"/><text x="${lx + 14}" y="257">${k}</text>`);
    lx += 28 + k.length * 6;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Marker colours suggested by spec §6.5, by row family. */
function markerColour(x: ChangeRow): string {
  switch (x.type) {
    case 'TRIM_HEAD': case 'TRIM_TAIL': case 'DELETE': case 'REMOVE_PART': case 'OLD_GAP': return 'red';
    case 'INSERT': case 'EXTEND_HEAD': case 'EXTEND_TAIL': return 'magenta';
    case 'MOVE_FROM': case 'MOVE_TO': return 'blue';
    case 'COPY': return 'cyan';
    case 'GAP_OPEN': return 'black';
    default: return 'yellow';
  }
}

/**
 * One marker per row at its new anchor (spec §6.5), Avid marker-list text:
 * `user<TAB>TC<TAB>track<TAB>colour<TAB>comment<TAB>duration` (duration in frames, 1 for
 * zero-length rows), lines ending in CRLF as Avid writes them.
 */
export function renderMarkers(r: ConformResult, user = 'dubstage', track = 'V1'): string {
  const rate = r.map.rate;
  return r.map.rows.map((x) => [user, tc(x.anchor, rate), track, markerColour(x), `${x.type} ${x.key} ${signed(x.length)}`, String(Math.max(1, Math.abs(x.length)))].join('\t') + '\r\n').join('');
}

/** Any report by name (spec §11 `renderReport`). */
export function renderReport(r: ConformResult, format: 'json' | 'table' | 'shuffle' | 'markers' | 'edl' | 'svg'): string {
  switch (format) {
    case 'json': return renderJson(r);
    case 'table': return renderTable(r);
    case 'shuffle': return renderShuffle(r);
    case 'markers': return renderMarkers(r);
    case 'edl': return renderChangeEdl(r);
    case 'svg': return renderSvg(r);
  }
}
