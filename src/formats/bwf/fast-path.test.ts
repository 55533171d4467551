// The fast paths of the metadata reader (issue 5 performance) must give what the general rules
// give. The rules come from the spec, restated here independently of the reader:
// - bext (../shared/spec/bwf.md §3, EBU Tech 3285): Description 0/256, Originator 256/32,
//   OriginatorReference 288/32, OriginationDate 320/10, OriginationTime 330/8, CodingHistory from
//   602; each text field ends at its first NUL. The reader documents its rule for bytes outside
//   ASCII (real files break the ASCII rule): UTF-8 when the field is valid UTF-8, else Latin-1.
// - iXML (spec/bwf.md §4): the first element of each name below BWFXML, SPEED, FILE_SET,
//   TRACK_LIST/TRACK and BEXT; numbers are decimal text; TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI/LO and
//   BWF_TIME_REFERENCE_HIGH/LOW are 32-bit halves (negative values, as some recorders write them,
//   wrap by 2^32).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseBext } from './bext.js';
import { child, parseIxml, scanXml, type XmlElement } from './ixml.js';

/** The spec's field rule, written out: bytes up to the first NUL; ASCII, else UTF-8 if valid, else Latin-1. */
function specField(bytes: Uint8Array, start: number, width: number): string {
  const end = Math.min(bytes.length, start + width);
  let stop = start;
  while (stop < end && bytes[stop] !== 0) stop++;
  const raw = bytes.subarray(start, stop);
  if (raw.every((b) => b < 0x80)) return String.fromCharCode(...raw);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    return String.fromCharCode(...raw);
  }
}

describe('bext text fields: one decode for ASCII, field by field otherwise', () => {
  test('UTF-8 and Latin-1 fields, a high byte after a NUL, a field filled to its width', () => {
    const b = new Uint8Array(700);
    const put = (o: number, bytes: number[]) => b.set(bytes, o);
    put(0, [...new TextEncoder().encode('Caf\u00e9 take 1'), 0, 0xff, 0xfe]); // UTF-8 é; bytes after the NUL are not text
    put(256, [0x52, 0x65, 0x6e, 0xe9]); // "Ren" + Latin-1 é (0xE9 alone is not UTF-8)
    put(288, Array.from({ length: 32 }, (_, i) => 0x41 + (i % 26))); // 32 letters, no NUL: the whole width
    put(320, [...new TextEncoder().encode('2026-11-24')]);
    put(330, [...new TextEncoder().encode('03:04:05')]);
    put(602, [...new TextEncoder().encode('A=PCM,F=48000\r\n'), 0, 0x80, 0x81]);
    const d: Diagnostic[] = [];
    const x = parseBext(b, 0, d);
    expect(x.description).toBe('Caf\u00e9 take 1');
    expect(x.originator).toBe('Ren\u00e9');
    expect(x.originatorReference).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF');
    expect(x.originationDate).toBe('2026-11-24');
    expect(x.originationTime).toBe('03:04:05');
    expect(x.codingHistory).toBe('A=PCM,F=48000\r\n');
    expect(d).toEqual([]);
  });

  test('any payload: every text field as the spec rule reads it', () => {
    // Bytes biased towards NUL, ASCII, UTF-8 lead/continuation bytes and U+FFFD's encoding.
    const byte = fc.oneof(fc.constant(0), fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom(0xc3, 0xa9, 0xef, 0xbf, 0xbd, 0x80, 0xff, 0xe2, 0x82, 0xac), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { minLength: 300, maxLength: 900 }), (arr) => {
        const p = Uint8Array.from(arr);
        const x = parseBext(p, 0, []);
        expect(x.description).toBe(specField(p, 0, 256));
        expect(x.originator).toBe(specField(p, 256, 32));
        expect(x.originatorReference).toBe(specField(p, 288, 32));
        expect(x.originationDate).toBe(specField(p, 320, 10));
        expect(x.originationTime).toBe(specField(p, 330, 8));
        expect(x.codingHistory).toBe(p.length > 602 ? specField(p, 602, p.length - 602) : '');
      }),
      { numRuns: 1000 },
    );
  });
});

/** Leaf text as an XML reader sees it: entities and CDATA resolved, comments dropped, trimmed. */
function textOf(el: XmlElement | undefined, name: string): string | undefined {
  return child(el, name)?.text;
}

/** A decimal integer field (`^[+-]?\d+$`, a safe integer), else undefined. */
function intOf(el: XmlElement | undefined, name: string): number | undefined {
  const t = textOf(el, name);
  if (t === undefined || !/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) return undefined;
  return Number(t);
}

/** A 32-bit half: decimal, negatives wrapped by 2^32, else undefined. */
function dwordOf(el: XmlElement | undefined, name: string): bigint | undefined {
  const t = textOf(el, name);
  if (t === undefined || !/^[+-]?\d{1,20}$/.test(t)) return undefined;
  const v = BigInt(t) < 0n ? BigInt(t) + 2n ** 32n : BigInt(t);
  return v >= 0n && v < 2n ** 32n ? v : undefined;
}

function join(hi: bigint | undefined, lo: bigint | undefined): bigint | undefined {
  return hi === undefined && lo === undefined ? undefined : (hi ?? 0n) * 2n ** 32n + (lo ?? 0n);
}

describe('iXML typed fields read from the scan agree with the element tree', () => {
  // Values as recorders write them and as they go wrong: padding, signs, many digits, entities,
  // CDATA, comments, Unicode space, empty elements.
  const value = fc.oneof(
    fc.constantFrom('0', '7', '-1', '+42', ' 48000 ', '\n24\t', '4294967295', '-2147483648', '99999999999999999999', '123456789012345', '1234567890123456', '00012'),
    fc.constantFrom('1&#48;', '&#x31;2', '<![CDATA[96000]]>', '4<!-- c -->8', '\u00a048000', '48000\u2003', '', 'TRUE', 'false', 'x&amp;y', ' A101 ', 'Sc\u00e8ne'),
    fc.string({ maxLength: 6 }).map((s) => s.replace(/[<&]/g, '')),
  );
  const leaf = (name: string) => fc.option(value.map((v) => `<${name}>${v}</${name}>`), { nil: '' });
  const group = (name: string, names: readonly string[]) =>
    fc.option(fc.tuple(...names.map(leaf), fc.boolean()).map(([...parts]) => {
      const twice = parts.pop() as boolean;
      const inner = (parts as string[]).join('');
      return `<${name}>${inner}${twice ? inner : ''}</${name}>`; // a repeated element: the first one counts
    }), { nil: '' });
  const speed = group('SPEED', ['NOTE', 'MASTER_SPEED', 'TIMECODE_RATE', 'TIMECODE_FLAG', 'FILE_SAMPLE_RATE', 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI', 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO', 'TIMESTAMP_SAMPLE_RATE']);
  const fileSet = group('FILE_SET', ['TOTAL_FILES', 'FAMILY_UID', 'FILE_SET_INDEX']);
  const track = group('TRACK', ['CHANNEL_INDEX', 'INTERLEAVE_INDEX', 'NAME', 'FUNCTION']);
  const mirror = group('BEXT', ['BWF_TIME_REFERENCE_LOW', 'BWF_TIME_REFERENCE_HIGH', 'BWF_DESCRIPTION']);
  const doc = fc
    .tuple(leaf('IXML_VERSION'), leaf('PROJECT'), leaf('SCENE'), leaf('TAKE'), leaf('CIRCLED'), leaf('NOTE'), leaf('USER'), speed, fileSet, fc.array(track, { maxLength: 4 }), mirror, fc.shuffledSubarray(['<UNKNOWN_X>1</UNKNOWN_X>', '<!-- comment -->', '<EMPTY/>', '<TRACK_COUNT>2</TRACK_COUNT>']))
    .map(([a, b, c, d, e, f, g, s, fs, tracks, m, extra]) => `<?xml version="1.0"?>\n<BWFXML>${extra.join('')}${a}${b}${c}${d}${e}${f}${g}${s}${fs}<TRACK_LIST>${tracks.join('')}</TRACK_LIST>${m}</BWFXML>\n\0\0`);

  test('every typed field equals the rule applied to the tree (scanXml, child, text)', () => {
    fc.assert(
      fc.property(doc, (xml) => {
        const d: Diagnostic[] = [];
        const x = parseIxml(xml, 100, d);
        const root = scanXml(xml, 100, []);
        expect(x.scene).toBe(textOf(root, 'SCENE'));
        expect(x.version).toBe(textOf(root, 'IXML_VERSION'));
        expect(x.project).toBe(textOf(root, 'PROJECT'));
        expect(x.take).toBe(textOf(root, 'TAKE'));
        expect(x.note).toBe(textOf(root, 'NOTE'));
        expect(x.user).toBe(textOf(root, 'USER'));
        const circled = textOf(root, 'CIRCLED');
        expect(x.circled).toBe(circled === undefined ? undefined : /^true$/i.test(circled) ? true : /^false$/i.test(circled) ? false : undefined);
        const s = child(root, 'SPEED');
        expect(x.speed === undefined).toBe(s === undefined);
        if (s) {
          expect(x.speed?.note).toBe(textOf(s, 'NOTE'));
          expect(x.speed?.masterSpeed).toBe(textOf(s, 'MASTER_SPEED'));
          expect(x.speed?.timecodeRate).toBe(textOf(s, 'TIMECODE_RATE'));
          expect(x.speed?.timecodeFlag).toBe(textOf(s, 'TIMECODE_FLAG'));
          expect(x.speed?.fileSampleRate).toBe(intOf(s, 'FILE_SAMPLE_RATE'));
          expect(x.speed?.timestampSampleRate).toBe(intOf(s, 'TIMESTAMP_SAMPLE_RATE'));
          expect(x.speed?.timestampSamplesSinceMidnight).toBe(join(dwordOf(s, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI'), dwordOf(s, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO')));
        }
        const fsEl = child(root, 'FILE_SET');
        expect(x.fileSet?.totalFiles).toBe(intOf(fsEl, 'TOTAL_FILES'));
        expect(x.fileSet?.familyUid).toBe(textOf(fsEl, 'FAMILY_UID'));
        expect(x.fileSet?.fileSetIndex).toBe(textOf(fsEl, 'FILE_SET_INDEX'));
        const tracks = (child(root, 'TRACK_LIST')?.children ?? []).filter((t) => t.name === 'TRACK');
        expect(x.tracks.map((t) => [t.channelIndex, t.interleaveIndex, t.name, t.function])).toEqual(
          tracks.map((t) => [intOf(t, 'CHANNEL_INDEX'), intOf(t, 'INTERLEAVE_INDEX'), textOf(t, 'NAME'), textOf(t, 'FUNCTION')]),
        );
        const m = child(root, 'BEXT');
        expect(x.bextTimeReference).toBe(join(dwordOf(m, 'BWF_TIME_REFERENCE_HIGH'), dwordOf(m, 'BWF_TIME_REFERENCE_LOW')));
      }),
      { numRuns: 600 },
    );
  });

  test('root is built when asked for, is the tree scanXml gives, and is a plain property (keys, spread, JSON)', () => {
    const xml = '<BWFXML><SCENE>4A</SCENE><TRACK_LIST><TRACK><NAME>BOOM</NAME></TRACK></TRACK_LIST></BWFXML>';
    const x = parseIxml(xml, 0, []);
    expect(Object.keys(x)).toContain('root');
    const shape = (e: XmlElement | undefined): unknown => e && { name: e.name, start: e.start, contentStart: e.contentStart, contentEnd: e.contentEnd, end: e.end, text: e.text, children: e.children.map(shape) };
    expect(shape(x.root)).toEqual(shape(scanXml(xml, 0, [])));
    expect(x.root).toBe(x.root); // built once
    expect({ ...x }.root?.name).toBe('BWFXML');
    expect(child(child(child(x.root, 'TRACK_LIST'), 'TRACK'), 'NAME')?.text).toBe('BOOM');
  });

  test('a large document (more elements than the reused scan arrays hold) reads the same as a small one', () => {
    const tracks = Array.from({ length: 3000 }, (_, i) => `<TRACK><CHANNEL_INDEX>${i + 1}</CHANNEL_INDEX><NAME>T${i + 1}</NAME></TRACK>`).join('');
    const x = parseIxml(`<BWFXML><SCENE>big</SCENE><TRACK_LIST>${tracks}</TRACK_LIST></BWFXML>`, 0, []);
    expect(x.tracks.length).toBe(3000);
    expect(x.tracks[2999]).toMatchObject({ channelIndex: 3000, name: 'T3000' });
    // The next small document is read with the arrays kept for small ones.
    expect(parseIxml('<BWFXML><SCENE>small</SCENE></BWFXML>', 0, []).scene).toBe('small');
  });
});

// Element names (XML 1.0 §2.3: a name ends at whitespace, `/` or `>`) may hold digits, `-`, `.` and
// `:`, which sort below `>`; field lookups compare whole names, so a decoy with the same length and
// first and last character (`SXXNE` for `SCENE`) is never taken for the field.
describe('iXML names: the scan ends a name where XML does; fields match whole names', () => {
  const nameChar = fc.constantFrom('A', 'Z', '_', '0', '9', '-', '.', ':', 'x', '\u00e9');
  const name = fc.tuple(fc.constantFrom('A', 'B', '_', 'Q', '\u00c9'), fc.array(nameChar, { maxLength: 10 })).map(([a, rest]) => a + rest.join(''));
  const end = fc.constantFrom('>', ' >', '\t>', '\n>', ' a="1">', '/>', ' />');

  test('child names are the generated names, whatever ends them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, end), { minLength: 1, maxLength: 8 }), (kids) => {
        const body = kids.map(([n, e]) => (e.endsWith('/>') ? `<${n}${e}` : `<${n}${e}v</${n}>`)).join('');
        const root = scanXml(`<BWFXML>${body}</BWFXML>`, 0, []);
        expect(root?.children.map((c) => c.name)).toEqual(kids.map(([n]) => n));
      }),
      { numRuns: 500 },
    );
  });

  test('decoys that share length and first and last character with field names are not read as fields', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['<SXXNE>decoy</SXXNE>', '<TKKE>decoy</TKKE>', '<PROJXXT>decoy</PROJXXT>', '<NXTE>decoy</NXTE>']), fc.boolean(), (decoys, withFields) => {
        const fields = withFields ? '<SCENE>12A</SCENE><TAKE>3</TAKE><PROJECT>P</PROJECT><NOTE>n</NOTE>' : '';
        const x = parseIxml(`<BWFXML>${decoys.join('')}${fields}${decoys.join('')}</BWFXML>`, 0, []);
        expect([x.scene, x.take, x.project, x.note]).toEqual(withFields ? ['12A', '3', 'P', 'n'] : [undefined, undefined, undefined, undefined]);
      }),
      { numRuns: 200 },
    );
  });
});

// bext v2 loudness (spec/bwf.md §3): five int16 LE fields from byte 412 in the order
// LoudnessValue, LoudnessRange, MaxTruePeakLevel, MaxMomentaryLoudness, MaxShortTermLoudness;
// 0x7FFF = not measured (left out); read only when Version >= 2 and the bytes are present.
describe('bext loudness fields: one named store per field', () => {
  test('any version, any payload length, any values: the spec rule, absent fields left out', () => {
    const names = ['loudnessValue', 'loudnessRange', 'maxTruePeakLevel', 'maxMomentaryLoudness', 'maxShortTermLoudness'] as const;
    const raw = fc.oneof(fc.constant(0x7fff), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 400, max: 700 }), fc.array(raw, { minLength: 5, maxLength: 5 }), (version, length, values) => {
        const p = new Uint8Array(length);
        p[346] = version;
        values.forEach((v, i) => {
          if (412 + 2 * i + 2 <= length) p.set([v & 0xff, v >> 8], 412 + 2 * i);
        });
        const b = parseBext(p, 0, []);
        names.forEach((n, i) => {
          const v = values[i] as number;
          const present = version >= 2 && 412 + 2 * i + 2 <= length && v !== 0x7fff;
          expect(n in b).toBe(present);
          if (present) expect(b[n]).toBe(v >= 0x8000 ? v - 0x10000 : v);
        });
      }),
      { numRuns: 500 },
    );
  });
});

// The scan reads characters from an array of code units: copied from the chunk's bytes when they
// are ASCII, else taken from the text; the array is reused between documents. Whatever the path,
// fields and diagnostics are those of the text alone (a fresh scan of the text, scanXml).
describe('iXML code units: from the bytes or from the text, reused between documents', () => {
  const piece = fc.constantFrom('<BWFXML>', '</BWFXML>', '<SCENE>', '</SCENE>', '<TAKE>7</TAKE>', '<NOTE>caf\u00e9</NOTE>', '<!-- c -->', '<![CDATA[x<y]]>', '<?pi?>', '<X/>', '</Y>', '<', '>', ' ', 'a', '\u00e9', '\ufeff', '\ufffd', '<TAKE', '</ SCENE >');
  const enc = new TextEncoder();
  const dec = new TextDecoder('utf-8', { ignoreBOM: true });

  test('any text, any bytes (including bytes that are not UTF-8): the same fields and diagnostics', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 3 }), (parts, flips) => {
        const bytes = enc.encode(parts.join(''));
        for (const [at, b] of flips) if (bytes.length > 0) bytes[at % bytes.length] = b; // invalid UTF-8 where it lands
        const xml = dec.decode(bytes);
        const fromBytes: Diagnostic[] = [];
        const fromText: Diagnostic[] = [];
        const a = parseIxml(xml, 10, fromBytes, {}, bytes);
        const b = parseIxml(xml, 10, fromText);
        expect({ ...a, root: a.root?.name }).toEqual({ ...b, root: b.root?.name });
        expect(fromBytes).toEqual(fromText);
        const fresh: Diagnostic[] = [];
        scanXml(xml, 10, fresh);
        expect(fromBytes.filter((d) => d.code === 'ixml/malformed' || d.code === 'ixml/too-deep')).toEqual(fresh);
      }),
      { numRuns: 1000 },
    );
  });

  test('a short document after a longer one does not see the longer one\'s characters', () => {
    // `<!--` at index 9 of the first text; the second ends with `<` at index 8.
    parseIxml('<BWFXML><!-- a comment --></BWFXML>', 0, []);
    const d: Diagnostic[] = [];
    const x = parseIxml('<BWFXML><', 0, d, {}, new TextEncoder().encode('<BWFXML><'));
    const fresh: Diagnostic[] = [];
    scanXml('<BWFXML><', 0, fresh);
    expect(d.filter((e) => e.code === 'ixml/malformed')).toEqual(fresh);
    expect(fresh.map((e) => e.message)).toContain('a tag is not closed before the end of the chunk');
    expect(x.root?.name).toBe('BWFXML');
  });
});
