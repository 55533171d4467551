import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { writeCfb, type CfbNode } from '../../src/binary/cfb/write.js';
import { checkRun, TARGETS, type FuzzTarget } from './targets.js';

// Issue 13: fast-check generators of documents that are structurally valid but hostile — deep
// nesting, huge counts, extreme numbers — for XML (XMEML, FCPXML), JSON (dubstage JSON, OTIO),
// EDL, RIFF and the compound file. The properties are the fuzzer's (targets.ts `checkRun`): no
// exception, time bounded by size, memory bounded, every error diagnostic placed.

const target = (id: string): FuzzTarget => {
  const t = TARGETS.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}`);
  return t;
};
const enc = (s: string) => new TextEncoder().encode(s);
const RUNS = Number(process.env.DUBSTAGE_HOSTILE_RUNS ?? 25);
const holds = (id: string) => (bytes: Uint8Array) => {
  expect(checkRun(target(id), bytes)).toEqual([]);
};

/** Numbers as text that break naive parsers: zero, negatives, overflow, non-finite, not-quite-numbers. */
const extremeNumber = fc.oneof(
  fc.constantFrom('0', '-0', '-1', '1e308', '1e-400', 'NaN', 'Infinity', '-Infinity', '4294967296', '9007199254740993', '-9223372036854775809', '0x10', '1.5', '', ' 7 ', '１２', '1/0', '0/0', '+5'),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.integer().map(String),
);
const smallCount = fc.integer({ min: 0, max: 400 });

describe('hostile but well-formed XML', () => {
  const xmeml = fc
    .record({ depth: fc.integer({ min: 0, max: 300 }), clips: smallCount, attrs: fc.integer({ min: 0, max: 300 }), n: fc.array(extremeNumber, { minLength: 8, maxLength: 8 }), ntsc: fc.constantFrom('TRUE', 'FALSE', 'maybe', '') })
    .map(({ depth, clips, attrs, n, ntsc }) => {
      const clip = `<clipitem id="c"><name>c</name><rate><timebase>${n[0]}</timebase><ntsc>${ntsc}</ntsc></rate><start>${n[1]}</start><end>${n[2]}</end><in>${n[3]}</in><out>${n[4]}</out><file id="f"><pathurl>file://localhost/../../etc/passwd</pathurl><duration>${n[5]}</duration></file></clipitem>`;
      const attributes = Array.from({ length: attrs }, (_, i) => ` a${i}="${n[i % 8]}"`).join('');
      return enc(`<?xml version="1.0"?>\n<!DOCTYPE xmeml>\n<xmeml version="${n[6]}"><sequence${attributes}><name>s</name><duration>${n[7]}</duration><rate><timebase>${n[0]}</timebase><ntsc>${ntsc}</ntsc></rate><media><audio><track>${clip.repeat(clips)}</track></audio></media>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</sequence></xmeml>`);
    });
  test('xmeml: deep nesting, many clips and attributes, extreme numbers', () => {
    fc.assert(fc.property(xmeml, holds('xmeml')), { numRuns: RUNS });
  });

  const fcpxml = fc
    .record({ depth: fc.integer({ min: 0, max: 300 }), clips: smallCount, n: fc.array(extremeNumber, { minLength: 6, maxLength: 6 }) })
    .map(({ depth, clips, n }) => {
      const t = (i: number) => `${n[i]}/${n[(i + 1) % 6]}s`;
      const clip = `<asset-clip ref="r2" offset="${t(0)}" start="${t(1)}" duration="${t(2)}" audioRole="dialogue"><adjust-volume amount="${n[3]}dB"/></asset-clip>`;
      return enc(`<?xml version="1.0"?>\n<!DOCTYPE fcpxml>\n<fcpxml version="1.${n[4]}"><resources><format id="r1" frameDuration="${t(3)}"/><asset id="r2" start="${t(4)}" duration="${t(5)}" audioRate="${n[5]}" src="file:///../../etc/passwd"/></resources><library><event name="e"><project name="p"><sequence format="r1" duration="${t(0)}" tcStart="${t(1)}"><spine>${clip.repeat(clips)}${'<gap>'.repeat(depth)}${'</gap>'.repeat(depth)}</spine></sequence></project></event></library></fcpxml>`);
    });
  test('fcpxml: deep nesting, many clips, extreme times', () => {
    fc.assert(fc.property(fcpxml, holds('fcpxml')), { numRuns: RUNS });
  });
});

describe('hostile but well-formed JSON', () => {
  const json = fc
    .record({ depth: fc.integer({ min: 0, max: 5000 }), clips: smallCount, n: fc.array(extremeNumber.filter((s) => /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(s)), { minLength: 6, maxLength: 6 }) })
    .map(({ depth, clips, n }) => {
      const r = (i: number) => `"${n[i]}/${n[(i + 1) % 6]}"`;
      const clip = `{"name": "c", "start": ${r(0)}, "duration": ${r(1)}, "sourceStart": ${r(2)}, "media": {"id": "m"}, "gain": ${n[3]}, "metadata": {}}`;
      const nested = '{"a":'.repeat(depth) + n[4] + '}'.repeat(depth);
      return enc(`{"schema": "dubstage.timeline", "schemaVersion": ${n[5]}, "name": "t", "sampleRate": ${n[0]}, "frameRate": {"rate": ${r(3)}, "dropFrame": false}, "startTimecode": "00:00:00:00", "tracks": [{"kind": "audio", "name": "A1", "channels": ${n[1]}, "clips": [${Array(clips).fill(clip).join(',')}]}], "markers": [], "media": [], "metadata": {"deep": ${nested}}}`);
    });
  test('dubstage JSON: deep metadata, many clips, extreme numbers', () => {
    fc.assert(fc.property(json, holds('json')), { numRuns: RUNS });
  });

  const otio = fc
    .record({ depth: fc.integer({ min: 0, max: 3000 }), clips: smallCount, n: fc.array(extremeNumber.filter((s) => /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(s)), { minLength: 4, maxLength: 4 }) })
    .map(({ depth, clips, n }) => {
      const rt = (i: number) => `{"OTIO_SCHEMA": "RationalTime.1", "rate": ${n[i]}, "value": ${n[(i + 1) % 4]}}`;
      const clip = `{"OTIO_SCHEMA": "Clip.2", "name": "c", "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": ${rt(0)}, "duration": ${rt(1)}}, "media_references": {}, "active_media_reference_key": "DEFAULT_MEDIA"}`;
      let stack = `{"OTIO_SCHEMA": "Track.1", "kind": "Audio", "children": [${Array(clips).fill(clip).join(',')}]}`;
      for (let i = 0; i < depth; i++) stack = `{"OTIO_SCHEMA": "Stack.1", "children": [${stack}]}`;
      return enc(`{"OTIO_SCHEMA": "Timeline.1", "name": "t", "global_start_time": ${rt(2)}, "tracks": ${stack}}`);
    });
  test('otio: stacks nested thousands deep, many clips, extreme rates', () => {
    fc.assert(fc.property(otio, holds('otio')), { numRuns: RUNS });
  });
});

describe('hostile but well-formed EDL', () => {
  const tc = fc.oneof(
    fc.constantFrom('00:00:00:00', '23:59:59:23', '99:99:99:99', '24:00:00:00', '-01:00:00:00', '00:00:00;29', '00:00:00:00:00'),
    fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99)).map((p) => p.map((x) => String(x).padStart(2, '0')).join(':')),
  );
  const edl = fc
    .record({ events: fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), tc, tc, tc, tc, extremeNumber), { maxLength: 300 }), longLine: fc.integer({ min: 0, max: 100_000 }), fcm: fc.constantFrom('DROP FRAME', 'NON-DROP FRAME', 'BOGUS') })
    .map(({ events, longLine, fcm }) => {
      const lines = [`TITLE: ${'T'.repeat(longLine)}`, `FCM: ${fcm}`];
      for (const [num, a, b, c, d, speed] of events) {
        lines.push(`${String(num).padStart(3, '0')}  REEL1    AA    C        ${a} ${b} ${c} ${d}`);
        lines.push(`M2   REEL1       ${speed}                ${a}`);
        lines.push(`* FROM CLIP NAME: ${'x'.repeat(50)}`);
      }
      return enc(lines.join('\n') + '\n');
    });
  test('edl: huge event numbers, impossible timecodes, extreme speeds, 100 kB lines', () => {
    fc.assert(fc.property(edl, holds('edl')), { numRuns: RUNS });
  });
});

describe('hostile but well-formed RIFF', () => {
  const ids = fc.constantFrom('fmt ', 'data', 'bext', 'iXML', 'LIST', 'JUNK', 'ds64', 'cue ', 'fact', 'axml', 'chna', 'ZZZZ');
  const sizeField = fc.oneof(fc.constant('actual' as const), fc.constantFrom(0, 1, 0x7fffffff, 0xfffffffe, 0xffffffff));
  const u64 = fc.oneof(fc.constantFrom(0n, 1n, (1n << 32n) - 1n, 1n << 62n, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
  const riff = fc
    .record({
      form: fc.constantFrom('RIFF', 'RF64', 'BW64'),
      riffSize: sizeField,
      ds64: fc.tuple(u64, u64, u64, fc.constantFrom(0, 1, 0xffffffff)),
      chunks: fc.array(fc.tuple(ids, sizeField, fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 255 })), { maxLength: 60 }),
    })
    .map(({ form, riffSize, ds64, chunks }) => {
      const parts: Uint8Array[] = [];
      const header = (id: string, size: number, payload: Uint8Array) => {
        const b = new Uint8Array(8 + payload.length + (payload.length & 1));
        b.set(enc(id), 0);
        new DataView(b.buffer).setUint32(4, size >>> 0, true);
        b.set(payload, 8);
        parts.push(b);
      };
      if (form !== 'RIFF') {
        const p = new Uint8Array(28);
        const dv = new DataView(p.buffer);
        dv.setBigUint64(0, ds64[0], true);
        dv.setBigUint64(8, ds64[1], true);
        dv.setBigUint64(16, ds64[2], true);
        dv.setUint32(24, ds64[3], true);
        header('ds64', 28, p);
      }
      for (const [id, size, len, fill] of chunks) {
        const payload = new Uint8Array(len).fill(fill);
        if (id === 'fmt ' && len >= 16) new DataView(payload.buffer).setUint16(0, 1, true);
        header(id, size === 'actual' ? len : size, payload);
      }
      const body = parts.reduce((n, p) => n + p.length, 4);
      const out = new Uint8Array(8 + body);
      out.set(enc(form), 0);
      new DataView(out.buffer).setUint32(4, riffSize === 'actual' ? body : riffSize, true);
      out.set(enc('WAVE'), 8);
      let at = 12;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    });
  test('bwf: chunk lists with extreme sizes, ds64 values and repeated chunks', () => {
    fc.assert(fc.property(riff, holds('bwf')), { numRuns: RUNS * 4 });
  });
});

describe('hostile but well-formed compound files', () => {
  type Tree = CfbNode & { type: 'storage' };
  // Storages nested up to 60 deep or up to 600 wide, streams of every size class around the cutoff.
  const tree = fc.record({ depth: fc.integer({ min: 0, max: 60 }), width: fc.integer({ min: 0, max: 600 }), size: fc.constantFrom(0, 1, 63, 64, 4095, 4096, 4097, 20_000) }).map(({ depth, width, size }) => {
    let inner: Tree = { type: 'storage', name: 'leaf', children: [{ type: 'stream', name: 's', data: new Uint8Array(size).fill(7) }] };
    for (let i = 0; i < depth; i++) inner = { type: 'storage', name: `d${i}`, children: [inner] };
    const wide: CfbNode[] = Array.from({ length: width }, (_, i) => ({ type: 'stream', name: `w${i}`, data: new Uint8Array(i % 3) }));
    return { type: 'storage', name: 'Root Entry', children: [inner, ...wide] } as Tree;
  });
  // Then 32-bit fields set to extremes: header fields, directory links and sizes, FAT entries.
  const patches = fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 1, 0xfffffffa, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff, 0x7fffffff)), { maxLength: 8 });
  test('cfb: deep and wide trees with header, directory and FAT fields set to extremes', async () => {
    await fc.assert(
      fc.asyncProperty(tree, patches, fc.constantFrom(512 as const, 4096 as const), async (t, ps, sectorSize) => {
        const bytes = await writeCfb(t, { sectorSize });
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const [where, v] of ps) {
          // Half the patches hit the header (the fields that steer everything), half anywhere.
          const at = where % 2 === 0 ? 0x2c + ((where >> 1) % 30) * 4 : ((where >> 1) % Math.floor(bytes.length / 4)) * 4;
          if (at + 4 <= bytes.length) dv.setUint32(at, v, true);
        }
        holds('cfb')(bytes);
        holds('aaf')(bytes);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
