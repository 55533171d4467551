// bext at the offsets of EBU Tech 3285 as tabled in ../shared/spec/bwf.md §3: Description 0/256,
// Originator 256/32, OriginatorReference 288/32, Date 320/10, Time 330/8, TimeReference 338/8
// (low DWORD first), Version 346/2, UMID 348/64, loudness int16 at 412..420, 0x7FFF = not set.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseBext, patchBext } from './bext.js';
import { parseIxml, editIxml, ixmlFrameRate, type XmlElement } from './ixml.js';

function bextBytes(version: number): Uint8Array {
  const b = new Uint8Array(602 + 8);
  const put = (o: number, s: string) => b.set(new TextEncoder().encode(s), o);
  put(0, 'sSCENE=12\r\nsTAKE=3');
  put(256, 'Recorder');
  put(288, 'USSDVGR1112089007124001008206301');
  put(320, '2019:01:01');
  put(330, '13:37:40');
  // TimeReference 0x1_0000_0010 = 4294967312: low DWORD 0x10, high DWORD 1.
  b.set([0x10, 0, 0, 0, 1, 0, 0, 0], 338);
  b.set([version, 0], 346);
  b.set([0x06, 0x0a, 0x2b, 0x34], 348);
  b.set([0x18, 0xf7], 412); // -2280 = 0xF718
  b.set([0xff, 0x7f], 414); // 0x7FFF: not measured
  b.set([0x9c, 0xff], 416); // -100
  b.set([0xa0, 0x0f], 418); // 4000
  b.set([0x00, 0x80], 420); // -32768
  put(602, 'A=PCM\r\n');
  return b;
}

describe('parseBext', () => {
  test('v2: every field from its offset; loudness signed, 0x7FFF absent', () => {
    const d: Diagnostic[] = [];
    const b = parseBext(bextBytes(2), 0, d);
    expect(d).toEqual([]);
    expect(b).toMatchObject({
      description: 'sSCENE=12\r\nsTAKE=3',
      originator: 'Recorder',
      originatorReference: 'USSDVGR1112089007124001008206301',
      originationDate: '2019:01:01',
      originationTime: '13:37:40',
      timeReference: 4294967312n,
      version: 2,
      loudnessValue: -2280,
      maxTruePeakLevel: -100,
      maxMomentaryLoudness: 4000,
      maxShortTermLoudness: -32768,
      codingHistory: 'A=PCM\r\n',
    });
    expect(b.loudnessRange).toBeUndefined();
    expect(b.umid).toBe('060a2b34' + '0'.repeat(120));
  });

  test('v0 and v1 never trust the reserved bytes', () => {
    const v0 = parseBext(bextBytes(0), 0, []);
    expect(v0.umid).toBeUndefined();
    expect(v0.loudnessValue).toBeUndefined();
    const v1 = parseBext(bextBytes(1), 0, []);
    expect(v1.umid).toBeDefined();
    expect(v1.loudnessValue).toBeUndefined();
  });

  test('a chunk shorter than 602 bytes: what is there, and an error at its offset', () => {
    const d: Diagnostic[] = [];
    const b = parseBext(bextBytes(1).subarray(0, 300), 100, d);
    expect(b.originator).toBe('Recorder');
    expect(b.timeReference).toBe(0n);
    expect(d[0]).toMatchObject({ code: 'bwf/short-bext', at: { offset: 100 } });
  });

  test('Latin-1 bytes that are not UTF-8 decode as Latin-1', () => {
    const b = bextBytes(1);
    b.set([0x43, 0x61, 0x66, 0xe9, 0], 0); // "Café" in Latin-1
    expect(parseBext(b, 0, []).description).toBe('Café');
  });
});

describe('patchBext', () => {
  test('changes only the bytes of the changed fields', () => {
    const orig = bextBytes(1);
    const d: Diagnostic[] = [];
    const out = patchBext(orig, { originator: 'dubstage', timeReference: 172_800_000n }, d);
    expect(d).toEqual([]);
    expect(out.length).toBe(orig.length);
    const changed: number[] = [];
    for (let i = 0; i < out.length; i++) if (out[i] !== orig[i]) changed.push(i);
    expect(changed.every((i) => (i >= 256 && i < 288) || (i >= 338 && i < 346))).toBe(true);
    const b = parseBext(out, 0, []);
    expect([b.originator, b.timeReference, b.description]).toEqual(['dubstage', 172_800_000n, 'sSCENE=12\r\nsTAKE=3']);
  });

  test('setting loudness raises v1 to v2 and marks the other loudness fields not measured (BWFMetaEdit rule)', () => {
    const out = patchBext(bextBytes(1), { loudnessValue: -2300 }, []);
    const b = parseBext(out, 0, []);
    expect(b.version).toBe(2);
    expect(b.loudnessValue).toBe(-2300);
    expect([b.loudnessRange, b.maxTruePeakLevel, b.maxMomentaryLoudness, b.maxShortTermLoudness]).toEqual([undefined, undefined, undefined, undefined]);
    expect([out[414], out[415]]).toEqual([0xff, 0x7f]);
  });

  test('a UMID raises v0 to v1; too-long text is refused with a diagnostic and left alone', () => {
    const d: Diagnostic[] = [];
    const out = patchBext(bextBytes(0), { umid: 'ab'.repeat(32), originator: 'x'.repeat(33) }, d);
    const b = parseBext(out, 0, []);
    expect(b.version).toBe(1);
    expect(b.umid).toBe('ab'.repeat(32) + '0'.repeat(64));
    expect(b.originator).toBe('Recorder');
    expect(d).toContainEqual(expect.objectContaining({ code: 'bwf/field-too-long', path: ['bext', 'originator'] }));
  });

  test('a longer coding history grows the chunk; a shorter one keeps its size', () => {
    const orig = bextBytes(1);
    expect(patchBext(orig, { codingHistory: 'A=PCM,F=48000\r\n' }, []).length).toBe(orig.length + 7);
    const same = patchBext(orig, { codingHistory: 'A\r\n' }, []);
    expect(same.length).toBe(orig.length);
    expect(parseBext(same, 0, []).codingHistory).toBe('A\r\n');
  });
});

describe('iXML', () => {
  const xml =
    '<?xml version="1.0"?>\n<BWFXML><IXML_VERSION>1.41</IXML_VERSION><SCENE>2C &amp; 3</SCENE><TAKE>01</TAKE><CIRCLED>TRUE</CIRCLED>' +
    '<SPEED><TIMECODE_RATE>30000/1001</TIMECODE_RATE><TIMECODE_FLAG>DF</TIMECODE_FLAG>' +
    '<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>0</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI><TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>-1944591466</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO></SPEED>' +
    '<TRACK_LIST><TRACK><CHANNEL_INDEX>3</CHANNEL_INDEX><INTERLEAVE_INDEX>1</INTERLEAVE_INDEX><NAME>BOOM</NAME></TRACK></TRACK_LIST><USER><![CDATA[a<b]]></USER></BWFXML>      \0\0';

  test('typed fields; a negative LO wraps by 2^32 (Metacorder, digest §4: −1944591466 = 2350375830 − 2^32)', () => {
    const d: Diagnostic[] = [];
    const x = parseIxml(xml, 0, d);
    expect(d).toEqual([]);
    expect(x).toMatchObject({ version: '1.41', scene: '2C & 3', take: '01', circled: true, user: 'a<b' });
    expect(x.speed?.timestampSamplesSinceMidnight).toBe(2350375830n);
    expect(x.tracks).toEqual([{ channelIndex: 3, interleaveIndex: 1, name: 'BOOM' }]);
    expect(ixmlFrameRate(x)?.name).toBe('29.97df');
  });

  test('edits keep every other character, escape text, add missing elements and follow the timestamp', () => {
    const d: Diagnostic[] = [];
    const out = editIxml(xml, { scene: 'A<1>', note: 'new', timeReference: 0x1_0000_0005n }, d)!;
    expect(d).toEqual([]);
    expect(out).toBe(
      xml
        .replace('2C &amp; 3', 'A&lt;1&gt;')
        .replace('>0</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>', '>1</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>')
        .replace('-1944591466', '5')
        .replace('</BWFXML>', '<NOTE>new</NOTE></BWFXML>'),
    );
    const x = parseIxml(out, 0, []);
    expect([x.scene, x.note, x.speed?.timestampSamplesSinceMidnight]).toEqual(['A<1>', 'new', 0x1_0000_0005n]);
  });

  test('broken XML: what can be read, warnings with offsets, no exception', () => {
    const d: Diagnostic[] = [];
    const x = parseIxml('<BWFXML><SCENE>1</TAKE><TAKE>2', 50, d);
    expect(x.scene).toBe('1');
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((e) => (e.at?.offset ?? 0) >= 50)).toBe(true);
  });
});

describe('scanXml close tags (XML 1.0 §3.1: ETag ::= "</" Name S? ">")', () => {
  test('whitespace before ">" closes; names sharing a long prefix do not close each other; offsets exact', async () => {
    const { scanXml, child } = await import('./ixml.js');
    const text = '<BWFXML><SPEED><TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>0</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI >' +
      '<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>7</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO\n></SPEED><NOTE/></BWFXML>';
    const d: Diagnostic[] = [];
    const root = scanXml(text, 0, d);
    expect(d).toEqual([]);
    const speed = child(root, 'SPEED');
    expect(speed?.children.map((c) => [c.name, c.text])).toEqual([
      ['TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI', '0'],
      ['TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO', '7'],
    ]);
    const hi = speed!.children[0]!;
    expect(text.slice(hi.start, hi.end)).toBe('<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI>0</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI >');
    expect(child(root, 'NOTE')).toMatchObject({ text: '', children: [] });
    expect(root?.end).toBe(text.length);
  });

  test('a close tag naming an outer element closes the inner ones with a warning at their offsets', async () => {
    const { scanXml, child } = await import('./ixml.js');
    const d: Diagnostic[] = [];
    const root = scanXml('<BWFXML><TRACK_LIST><TRACK><NAME>BOOM</TRACK_LIST></BWFXML>', 100, d);
    expect(child(child(child(root, 'TRACK_LIST'), 'TRACK'), 'NAME')?.text).toBe('BOOM');
    expect(d.map((x) => [x.code, x.at?.offset])).toEqual([
      ['ixml/malformed', 100 + 27],
      ['ixml/malformed', 100 + 20],
    ]);
  });
});

describe('scanXml on arbitrary text', () => {
  test('never throws; every element lies inside the text, children inside their parent, in order', async () => {
    const { scanXml } = await import('./ixml.js');
    const token = fc.constantFrom('<BWFXML>', '</BWFXML>', '<SCENE>', '</SCENE>', '<SPEED>', '</SPEED >', '<A/>', '</', '<', '>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', 'x', ' ', '\n');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const d: Diagnostic[] = [];
        const root = scanXml(text, 0, d);
        const check = (el: XmlElement, lo: number, hi: number): void => {
          expect(lo <= el.start && el.start < el.contentStart && el.contentStart <= el.contentEnd && el.contentEnd <= el.end && el.end <= hi).toBe(true);
          expect(typeof el.text).toBe('string');
          let at = el.contentStart;
          for (const c of el.children) {
            check(c, at, el.contentEnd);
            at = c.end;
          }
        };
        if (root) check(root, 0, text.length);
        for (const x of d) expect(x.at?.offset ?? 0).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});

describe('descriptionFrameRate', () => {
  test('recorder SPEED keys (digest §3: sSPEED=023.976-ND, dFRAMERATE=23.976ND, SPEED=25.000ND, dSPEED=029.970-DF)', async () => {
    const { descriptionFrameRate } = await import('./read.js');
    expect(descriptionFrameRate('sSPEED=023.976-ND\r\nsTAKE=1\r\n')?.name).toBe('23.976');
    expect(descriptionFrameRate('dUBITS=1\r\ndFRAMERATE=23.976ND\r\n')?.name).toBe('23.976');
    expect(descriptionFrameRate('SPEED=25.000ND\r\nTAKE=001\r\n')?.name).toBe('25');
    expect(descriptionFrameRate('dSPEED=029.970-DF\r\n')?.name).toBe('29.97df');
    expect(descriptionFrameRate('no keys here')).toBeUndefined();
  });
});
