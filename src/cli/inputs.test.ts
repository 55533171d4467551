import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expandInputs, isPattern } from './inputs.js';

describe('expandInputs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dubstage-inputs-'));
    for (const f of ['a.wav', 'b.WAV', 'notes.txt', 'day1/c.wav', 'day1/take2/d.bwf', 'day1/.hidden.wav', 'day2/e.wav', 'day2/f.edl']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const wav = { extensions: ['.wav', '.bwf'] };

  test('a folder gives every file under it with a wanted extension, sorted, hidden files skipped', () => {
    expect(expandInputs(['.'], { ...wav, cwd: dir }).files).toEqual(['a.wav', 'b.WAV', join('day1', 'c.wav'), join('day1', 'take2', 'd.bwf'), join('day2', 'e.wav')]);
  });

  test('globs: * and ? within a segment, ** across folders, [..] classes', () => {
    expect(expandInputs(['*.wav'], { ...wav, cwd: dir }).files).toEqual(['a.wav']); // case-sensitive match, as shells do
    expect(expandInputs(['day?/*.wav'], { ...wav, cwd: dir }).files).toEqual([join('day1', 'c.wav'), join('day2', 'e.wav')]);
    expect(expandInputs(['**/*.bwf'], { ...wav, cwd: dir }).files).toEqual([join('day1', 'take2', 'd.bwf')]);
    expect(expandInputs(['day[2]/*'], { cwd: dir }).files).toEqual([join('day2', 'e.wav'), join('day2', 'f.edl')]);
  });

  test('literal files are kept whatever their extension; duplicates once; misses are reported', () => {
    const r = expandInputs(['notes.txt', 'a.wav', '.', 'missing.wav', 'none/*.wav'], { ...wav, cwd: dir });
    expect(r.files[0]).toBe('notes.txt');
    expect(r.files.filter((f) => f === 'a.wav')).toHaveLength(1);
    expect(r.unmatched).toEqual(['missing.wav', 'none/*.wav']);
  });

  test('expanded says whether a folder or glob was given (a batch), even one matching one file or none', () => {
    expect(expandInputs(['a.wav'], { ...wav, cwd: dir }).expanded).toBe(false);
    expect(expandInputs(['missing.wav'], { ...wav, cwd: dir }).expanded).toBe(false);
    expect(expandInputs(['day2'], { ...wav, cwd: dir }).expanded).toBe(true);
    expect(expandInputs(['none/*.wav'], { ...wav, cwd: dir }).expanded).toBe(true);
  });

  test('isPattern: folders and globs, but not an existing file whose name holds glob characters', () => {
    writeFileSync(join(dir, 'take[1].wav'), '');
    expect(isPattern('day1', dir)).toBe(true);
    expect(isPattern('*.wav', dir)).toBe(true);
    expect(isPattern('take[1].wav', dir)).toBe(false);
    expect(isPattern('a.wav', dir)).toBe(false);
    expect(isPattern('missing.wav', dir)).toBe(false);
  });

  test('maxFiles bounds a runaway expansion', () => {
    expect(expandInputs(['**/*'], { cwd: dir, maxFiles: 2 }).files).toHaveLength(2);
  });
});
