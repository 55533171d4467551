// FCPXML grammar validation. Expected verdicts come from Apple's FCPXML DTDs (1.8–1.13, as
// published; facts restated in dtd.ts), e.g. asset-clip's content model lists `conform-rate?,
// timeMap?` before the intrinsic adjustments, `marker` requires `start` and `value`, 1.8 assets
// take `src` and no `media-rep`. Each verdict was cross-checked with `xmllint --dtdvalid` against
// the DTD of the same version while writing these tests.
import { describe, expect, test } from 'vitest';
import { parseXml } from '../xml-tree.js';
import { validate } from './validate.js';

const doc = (version: string, spine: string, resources = '', assetBody = '<media-rep kind="original-media" src="file:///a.wav"/>') => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="${version}">
  <resources>
    <format id="r1" frameDuration="100/2400s"/>
    <asset id="r2" name="a" start="0s" duration="10s" hasAudio="1" audioSources="1" audioChannels="2" audioRate="48000"${version === '1.8' ? ' src="file:///a.wav"' : ''}>${version === '1.8' ? '' : assetBody}</asset>
    ${resources}
  </resources>
  <library>
    <event name="e">
      <project name="p">
        <sequence format="r1" duration="10s" tcStart="0s" tcFormat="NDF" audioLayout="stereo" audioRate="48k">
          <spine>
            ${spine}
          </spine>
        </sequence>
      </project>
    </event>
  </library>
</fcpxml>`;

const codes = (text: string, version?: string) => validate(text, version).map((d) => d.code);

describe('FCPXML validate', () => {
  test('a minimal document is valid in every version', () => {
    const spine = '<gap name="Gap" offset="0s" duration="10s"><asset-clip ref="r2" lane="-1" offset="0s" duration="5s" audioRole="dialogue"><adjust-volume amount="-3dB"/><audio-channel-source srcCh="1" role="dialogue"/></asset-clip></gap>';
    for (const v of ['1.8', '1.9', '1.10', '1.11', '1.12', '1.13']) expect(validate(doc(v, spine))).toEqual([]);
  });

  test('children out of order: timeMap must come before adjust-volume (timing, then intrinsic params)', () => {
    const text = doc('1.10', '<asset-clip ref="r2" offset="0s" duration="5s"><adjust-volume amount="-3dB"/><timeMap><timept time="0s" value="0s"/><timept time="5s" value="10s"/></timeMap></asset-clip>');
    const d = validate(text);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      severity: 'error',
      code: 'fcpxml/dtd-content',
      received: 'timeMap',
      path: ['fcpxml', 'library[1]', 'event[1]', 'project[1]', 'sequence[1]', 'spine[1]', 'asset-clip[1]', 'timeMap[1]'],
    });
    // The element is placed by line and column in the text.
    expect(d[0]!.at?.line).toBe(14); // the spine's content line of `doc`
    expect(d[0]!.expected).not.toContain('timeMap');
  });

  test('audio-channel-source comes after markers; a marker after it is out of order', () => {
    const ok = doc('1.11', '<asset-clip ref="r2" offset="0s" duration="5s"><marker start="1s" value="m"/><audio-channel-source srcCh="1"/></asset-clip>');
    expect(validate(ok)).toEqual([]);
    const bad = doc('1.11', '<asset-clip ref="r2" offset="0s" duration="5s"><audio-channel-source srcCh="1"/><marker start="1s" value="m"/></asset-clip>');
    expect(codes(bad)).toEqual(['fcpxml/dtd-content']);
  });

  test('required attributes: marker start and value, audio-channel-source srcCh, gap duration', () => {
    const text = doc('1.10', '<gap offset="0s"><asset-clip ref="r2" lane="-1" offset="0s" duration="1s"><audio-channel-source role="dialogue"/></asset-clip><marker start="1s"/></gap>');
    const d = validate(text);
    expect(d.map((x) => [x.code, x.expected])).toEqual([
      ['fcpxml/dtd-required', 'duration'],
      ['fcpxml/dtd-required', 'srcCh'],
      ['fcpxml/dtd-required', 'value'],
    ]);
  });

  test('enumerations and flags: tcFormat, fade type, enabled', () => {
    const text = doc('1.10', '<asset-clip ref="r2" offset="0s" duration="5s" tcFormat="DROP" enabled="yes"><adjust-volume><param name="amount"><fadeIn type="sCurve" duration="1s"/></param></adjust-volume></asset-clip>');
    expect(validate(text).map((d) => [d.code, d.received])).toEqual([
      ['fcpxml/dtd-value', 'DROP'],
      ['fcpxml/dtd-value', 'yes'],
      ['fcpxml/dtd-value', 'sCurve'],
    ]);
  });

  test('time values must be rational seconds (spec/xml.md 2.3); lanes integers', () => {
    const text = doc('1.10', '<gap offset="0s" duration="2.5s"><asset-clip ref="r2" lane="-1.5" offset="1/0s" duration="5s"/></gap>');
    expect(validate(text).map((d) => [d.code, d.received])).toEqual([
      ['fcpxml/bad-time-value', '2.5s'],
      ['fcpxml/bad-lane', '-1.5'],
      ['fcpxml/bad-time-value', '1/0s'],
    ]);
  });

  test('versions: 1.8 assets carry src and no media-rep; 1.9+ assets need a media-rep', () => {
    const v18 = doc('1.8', '<gap offset="0s" duration="1s"/>').replace('src="file:///a.wav">', 'src="file:///a.wav"><media-rep src="file:///a.wav"/>');
    // The asset's content model rejects it, and the element itself is not declared in 1.8.
    expect(codes(v18).sort()).toEqual(['fcpxml/dtd-content', 'fcpxml/dtd-element']);
    const v110 = doc('1.10', '<gap offset="0s" duration="1s"/>', '', '');
    expect(validate(v110)[0]).toMatchObject({ code: 'fcpxml/dtd-content', expected: 'media-rep' });
    // `videoSources` arrived in 1.9.
    const vs = doc('1.8', '<gap offset="0s" duration="1s"/>').replace('hasAudio="1"', 'hasAudio="1" videoSources="1"');
    expect(codes(vs)).toEqual(['fcpxml/dtd-attribute']);
    // `live-drawing` and `adjust-colorConform` arrived in 1.11.
    const colorConform = '<asset-clip ref="r2" offset="0s" duration="5s"><adjust-colorConform peakNitsOfPQSource="1000" peakNitsOfSDRToPQSource="203"/></asset-clip>';
    expect(codes(doc('1.10', colorConform)).sort()).toEqual(['fcpxml/dtd-content', 'fcpxml/dtd-element']);
    expect(codes(doc('1.11', colorConform))).toEqual([]);
  });

  test('the version validated against is the one stated (or the one asked for)', () => {
    const text = doc('1.10', '<gap offset="0s" duration="1s"/>');
    expect(codes(text, '1.11')).toEqual(['fcpxml/dtd-value']);
    expect(codes(text.replace('version="1.10"', 'version="2.0"'))).toEqual(['fcpxml/unknown-version', 'fcpxml/dtd-value']);
  });

  test('ids are unique and references resolve', () => {
    const text = doc('1.10', '<asset-clip ref="r9" offset="0s" duration="5s"/>', '<effect id="r2" name="x" uid="u"/>');
    expect(codes(text).sort()).toEqual(['fcpxml/dtd-id', 'fcpxml/dtd-id']);
  });

  test('undeclared elements and attributes, text where only elements go', () => {
    const text = doc('1.10', '<asset-clip ref="r2" offset="0s" duration="5s" volume="3"><filter-audio-x/></asset-clip>text');
    // The unknown child breaks asset-clip's content model and is itself undeclared; the text breaks the spine's.
    expect(codes(text).sort()).toEqual(['fcpxml/dtd-attribute', 'fcpxml/dtd-content', 'fcpxml/dtd-content', 'fcpxml/dtd-element']);
  });

  test('accepts a parsed document or element; malformed text gives a placed diagnostic', () => {
    const text = doc('1.10', '<gap offset="0s" duration="1s"/>');
    const parsed = parseXml(text);
    expect(parsed.ok && validate(parsed.value)).toEqual([]);
    expect(parsed.ok && validate(parsed.value.root)).toEqual([]);
    expect(validate('<fcpxml version="1.10"><resources></fcpxml>')[0]).toMatchObject({ code: 'fcpxml/malformed', at: { line: 1 } });
  });

  test('a spine of 100,000 items validates in linear time', () => {
    const items: string[] = [];
    for (let i = 0; i < 100_000; i++) items.push(`<asset-clip ref="r2" offset="${i}s" duration="1s"/>`);
    const text = doc('1.10', items.join(''));
    const t0 = performance.now();
    expect(validate(text)).toEqual([]);
    // A generous bound on a shared machine: quadratic matching would take minutes.
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});
