// The registry entry: detection by content and the rate an EDL needs (spec/edl.md §1: "The list
// carries no frame rate").
import { describe, expect, test } from 'vitest';
import { FrameRate } from '../../time/frame-rate.js';
import { detect, edlFormat } from './index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detect', () => {
  test.each([
    ['TITLE: x\nFCM: NON-DROP FRAME\n', true],
    ['\ufeffTITLE:   070816_EG101\n', true],
    ['\r\n\r\nFCM: DROP FRAME\r\n', true],
    ['001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n', true],
    ['000003  BOONE_SMITH_ON_CAMERA_HOST_-720P V     D    010 01:01:43:05 01:01:57:00 01:00:07:26 01:00:21:21 \n', true],
    ['{"OTIO_SCHEMA": "Timeline.1"}', false],
    ['<?xml version="1.0"?><xmeml/>', false],
    ['RIFF', false],
    ['', false],
  ])('%j → %s', (text, yes) => {
    expect(detect(enc(text))).toBe(yes);
  });
});

describe('edlFormat', () => {
  test('id, extension, and a typed error without a rate', () => {
    expect([edlFormat.id, edlFormat.extensions]).toEqual(['edl', ['.edl']]);
    const r = edlFormat.parse?.('TITLE: x\n', { source: 'x.edl' });
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics[0]).toMatchObject({ code: 'edl/rate-required', source: 'x.edl' });
  });
  test('parse and write through the module', () => {
    const text = 'TITLE: x\nFCM: NON-DROP FRAME\n001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n* FROM CLIP NAME: a.mov\n';
    const r = edlFormat.parse?.(text, { rate: FrameRate.FPS_25 });
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(edlFormat.write?.(r.value, {}).value).toBe(text);
  });
});
