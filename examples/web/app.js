// The timeline viewer: reads a dropped file with dubstage (in the browser, from its ESM build,
// bundled by build.mjs into ./dubstage.js) and draws its tracks, clips and markers as SVG.
import { readTimeline, formatDiagnostic, FrameRate } from './dubstage.js';

const SVG = 'http://www.w3.org/2000/svg';
const LANE = 28;
const LABEL = 90;
const RULER = 22;

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Seconds of a RationalTime, for drawing only (positions stay exact in the model). */
const sec = (t) => t.toSecondsNumber();

export function render(timeline, container) {
  const end = Math.max(1, ...timeline.tracks.flatMap((k) => k.clips.map((c) => sec(c.start) + sec(c.duration))), ...timeline.markers.map((m) => sec(m.position)));
  const width = Math.max(600, Math.min(4000, container.clientWidth || 900));
  const px = (width - LABEL - 10) / end;
  const height = RULER + timeline.tracks.length * LANE + 10;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `timeline ${timeline.name}` });
  // Ruler: one tick per second (or per 10 s on long timelines), labelled with timecode.
  const step = end > 120 ? 10 : 1;
  for (let s = 0; s <= end; s += step) {
    const x = LABEL + s * px;
    svg.append(el('line', { x1: x, x2: x, y1: RULER - 6, y2: height, stroke: '#eee' }));
    if ((s / step) % 5 === 0) svg.append(el('text', { x: x + 2, y: 12, 'font-size': 10, fill: '#666' }, timeline.startTimecode.plus(Math.round(s * timeline.frameRate.nominalFps)).toString()));
  }
  timeline.tracks.forEach((track, i) => {
    const y = RULER + i * LANE;
    const g = el('g', { 'data-track': track.name, 'data-kind': track.kind });
    g.append(el('text', { x: 4, y: y + 18, 'font-size': 12, fill: track.muted ? '#999' : '#222' }, track.name));
    for (const clip of track.clips) {
      const x = LABEL + sec(clip.start) * px;
      const w = Math.max(1, sec(clip.duration) * px);
      const r = el('rect', { x, y: y + 3, width: w, height: LANE - 6, rx: 3, fill: track.kind === 'audio' ? (clip.muted ? '#c8d3c8' : '#7fbf7f') : '#7f9fdf', stroke: '#456', 'data-clip': clip.name });
      r.append(el('title', {}, `${clip.name}\n${timeline.startTimecode.plus(Math.round(sec(clip.start) * timeline.frameRate.nominalFps))} + ${clip.duration} s`));
      g.append(r);
      if (w > 40) g.append(el('text', { x: x + 3, y: y + 18, 'font-size': 10, fill: '#123', 'pointer-events': 'none' }, clip.name.slice(0, Math.floor(w / 6))));
    }
    for (const t of track.transitions) {
      g.append(el('rect', { x: LABEL + sec(t.start) * px, y: y + 3, width: Math.max(1, sec(t.duration) * px), height: LANE - 6, fill: '#fff8', stroke: '#a55', 'data-transition': t.kind }));
    }
    svg.append(g);
  });
  for (const m of timeline.markers) {
    const x = LABEL + sec(m.position) * px;
    const g = el('g', { 'data-marker': m.name });
    g.append(el('line', { x1: x, x2: x, y1: RULER - 4, y2: height, stroke: m.colour ?? '#d33', 'stroke-width': 1.5 }));
    g.append(el('text', { x: x + 2, y: RULER - 6, 'font-size': 10, fill: '#a22' }, m.name));
    svg.append(g);
  }
  container.replaceChildren(svg);
}

export async function show(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // EDLs state no rate: the picture rate chosen on the page is used for them.
  const picked = FrameRate.parse(document.getElementById('rate').value);
  const result = readTimeline(bytes, { fileName: file.name, ...(picked.ok ? { rate: picked.value } : {}) });
  const list = document.getElementById('diagnostics');
  list.replaceChildren(
    ...result.diagnostics.map((d) => {
      const li = document.createElement('li');
      li.className = d.severity;
      li.textContent = formatDiagnostic(d);
      return li;
    }),
  );
  const summary = document.getElementById('summary');
  if (!result.ok) {
    summary.textContent = `${file.name}: could not be read (${result.diagnostics.length} diagnostics)`;
    document.getElementById('timeline').replaceChildren();
    return;
  }
  const t = result.value;
  const clips = t.tracks.reduce((n, k) => n + k.clips.length, 0);
  summary.textContent = `${file.name}: "${t.name}", ${t.frameRate.name} fps, starts ${t.startTimecode} — ${t.tracks.length} tracks, ${clips} clips, ${t.markers.length} markers`;
  render(t, document.getElementById('timeline'));
}

const drop = document.getElementById('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void show(f);
});
document.getElementById('file').addEventListener('change', (e) => {
  const f = e.target.files?.[0];
  if (f) void show(f);
});
document.body.dataset.ready = 'true';
