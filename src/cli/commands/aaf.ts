import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource, writeFileAtomic, type FileByteSource } from '../../node.js';
import { extractEssence, listEmbeddedEssence } from '../../formats/aaf/essence.js';
import { timelineFromObjects } from '../../formats/aaf/read.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { readObjects, type AafData, type AafObject, type AafProperty } from '../../formats/aaf/objects.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: dubstage aaf dump FILE [--depth N] [--json]
       dubstage aaf extract FILE --out DIR [--json]

dump     prints the object tree of an AAF file: every object with its class and every property
         with its PID, stored form and value, as the file stores them. For debugging exports.
extract  writes the audio embedded in an AAF to DIR: raw PCM as Broadcast Wave files whose bext
         TimeReference is the media's source timecode, whole embedded WAV/AIFF files as they are.
         Streams the essence; a file with gigabytes of audio is never held in memory.

  --depth N   (dump) stop N objects deep (default: everything)
  --out DIR   (extract) where the files go (created if needed)
  --json      machine-readable output on stdout

examples:
  dubstage aaf dump mix.aaf --depth 4 | less
  dubstage aaf extract mix.aaf --out media/ --json

Exit status: 0 done, 1 not a readable AAF (or a file could not be written), 2 usage error.`;

function show(d: AafData): string {
  if (typeof d === 'bigint') return d.toString();
  if (typeof d === 'string') return JSON.stringify(d);
  if (d instanceof Uint8Array) return d.length > 32 ? `<${d.length} bytes>` : `<${hex(d)}>`;
  return JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? hex(v) : v));
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const FORMS: Record<number, string> = { 0x82: 'data', 0x42: 'stream', 0x22: 'strong', 0x32: 'strong-vector', 0x3a: 'strong-set', 0x02: 'weak', 0x12: 'weak-vector', 0x1a: 'weak-set' };

function propertyLine(p: AafProperty): string {
  const head = `${p.name} (0x${p.pid.toString(16).padStart(4, '0')} ${FORMS[p.storedForm] ?? '0x' + p.storedForm.toString(16)})`;
  switch (p.value.kind) {
    case 'data': return `${head}: ${show(p.value.data)}`;
    case 'stream': return `${head}: stream "${p.value.streamName}" ${p.value.entry ? `${p.value.entry.size} bytes` : '(missing)'}`;
    case 'weak': return `${head}: -> [${p.value.ref.tableIndex}] ${p.value.ref.key}`;
    case 'weak-vector':
    case 'weak-set': return `${head}: ${p.value.refs.length} references`;
    case 'strong': return `${head}:`;
    case 'strong-vector':
    case 'strong-set': return `${head}: ${p.value.objects.length} objects`;
    case 'unknown': return `${head}: <${hex(p.bytes)}>`;
  }
}

function toJson(o: AafObject, depth: number, max: number): unknown {
  return {
    class: o.className,
    path: o.path,
    properties: o.properties.map((p) => {
      const base = { pid: p.pid, name: p.name, storedForm: FORMS[p.storedForm] ?? p.storedForm };
      switch (p.value.kind) {
        case 'data': return { ...base, value: JSON.parse(JSON.stringify(p.value.data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? hex(v) : v))) };
        case 'strong': return { ...base, object: p.value.object && depth < max ? toJson(p.value.object, depth + 1, max) : null };
        case 'strong-vector':
        case 'strong-set': return { ...base, objects: depth < max ? p.value.objects.map((c) => toJson(c, depth + 1, max)) : p.value.objects.length };
        case 'weak': return { ...base, ref: p.value.ref };
        case 'weak-vector':
        case 'weak-set': return { ...base, refs: p.value.refs };
        case 'stream': return { ...base, stream: p.value.streamName, size: p.value.entry?.size ?? null };
        case 'unknown': return { ...base, bytes: hex(p.bytes) };
      }
    }),
  };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs(argv, { depth: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  const [sub, file] = positionals;
  if (sub === 'extract' && file && positionals.length === 2) {
    if (typeof values.out !== 'string') throw new UsageError('extract needs --out DIR');
    return extract(file, values.out, values.json === true, io);
  }
  if (sub !== 'dump' || !file || positionals.length !== 2) throw new UsageError('expected: dubstage aaf dump FILE, or dubstage aaf extract FILE --out DIR');
  const max = typeof values.depth === 'string' ? Number(values.depth) : Infinity;
  if (!(max >= 0)) throw new UsageError('--depth must be a non-negative number');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    io.stderr.write(`dubstage aaf: cannot read ${file}: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  const r = await readObjects(bytes);
  for (const d of r.diagnostics) io.stderr.write(formatDiagnostic({ ...d, source: file }) + '\n');
  if (!r.ok) return EXIT_INVALID;
  if (values.json) {
    io.stdout.write(JSON.stringify(toJson(r.value.root, 0, max), null, 1) + '\n');
    return EXIT_OK;
  }
  const lines: string[] = [];
  const walk = (o: AafObject, indent: string, depth: number): void => {
    lines.push(`${indent}${o.className}  ${o.path}`);
    if (depth >= max) return;
    for (const p of o.properties) {
      lines.push(`${indent}  ${propertyLine(p)}`);
      const children = p.value.kind === 'strong' ? (p.value.object ? [p.value.object] : []) : p.value.kind === 'strong-vector' || p.value.kind === 'strong-set' ? p.value.objects : [];
      for (const c of children) walk(c, indent + '    ', depth + 1);
    }
  };
  walk(r.value.root, '', 0);
  io.stdout.write(lines.join('\n') + '\n');
  return EXIT_OK;
}

async function extract(path: string, outDir: string, json: boolean, io: CliIo): Promise<number> {
  let src: FileByteSource;
  try {
    src = await openFileSource(path);
  } catch (e) {
    io.stderr.write(`dubstage aaf: cannot read ${path}: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  try {
    const r = await readObjects(src);
    for (const d of r.diagnostics) io.stderr.write(formatDiagnostic({ ...d, source: path }) + '\n');
    if (!r.ok) return EXIT_INVALID;
    const t = timelineFromObjects(r.value);
    const timeline = t.ok ? t.value : undefined;
    await mkdir(outDir, { recursive: true });
    const used = new Set<string>();
    const written: { mediaId: string; file: string; bytes: number; timeReference: string | null }[] = [];
    for (const e of listEmbeddedEssence(r.value, timeline)) {
      // Media names often carry their extension already ("take.wav"): do not double it.
      // Leading dots go too: no hidden files, nothing that reads as `.` or `..` (issue 13).
      const base = e.name.replace(/[\/\\:*?"<>|\x00-\x1f]/g, '_').replace(/\.(wav|wave|bwf|aif|aiff|aifc)$/i, '').replace(/^\.+/, '') || 'media';
      let name = `${base}.${e.extension}`;
      for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}.${e.extension}`;
      used.add(name.toLowerCase());
      const media = timeline?.media.find((m) => m.id === e.mediaId);
      // bext TimeReference: the source timecode of the first sample, rounded to the nearest sample.
      const timeReference = media?.start && e.sampleRate ? media.start.toSamples(e.sampleRate, 'nearest') : undefined;
      // `name` has no separators and no leading dot (replaced above), so the file lands inside
      // outDir whatever the AAF calls its media.
      const target = join(outDir, name);
      let bytes: number;
      try {
        // Complete or not at all: an interrupted extraction leaves no truncated WAV (issue 13).
        bytes = await writeFileAtomic(target, extractEssence(r.value, e, timeReference !== undefined ? { timeReference } : {}));
      } catch (err) {
        io.stderr.write(`dubstage aaf: ${(err as Error).message}\n`);
        return EXIT_INVALID;
      }
      written.push({ mediaId: e.mediaId, file: target, bytes, timeReference: timeReference?.toString() ?? null });
      if (!json) io.stderr.write(`${target}  ${bytes} bytes${timeReference !== undefined ? `  TimeReference ${timeReference}` : ''}\n`);
    }
    if (json) io.stdout.write(JSON.stringify({ file: path, extracted: written }) + '\n');
    else if (written.length === 0) io.stderr.write(`${path}: no embedded audio\n`);
    return EXIT_OK;
  } finally {
    await src.close();
  }
}

export const aafCommand: Command = {
  name: 'aaf',
  summary: 'AAF tools: print the object tree (dump), extract embedded audio (extract)',
  usage: USAGE,
  run,
};
