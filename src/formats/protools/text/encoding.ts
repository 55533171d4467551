/**
 * Text encodings of "Session Info as Text" exports (spec/protools.md §1.9): Pro Tools' *TextEdit*
 * option writes Mac OS Roman, its *UTF-8* option UTF-8 without a BOM. Detection follows the spec:
 * a BOM wins, then strict UTF-8, else Mac OS Roman. Browser-safe (TextDecoder/TextEncoder only).
 */

/** An encoding a session text export may use. */
export type SessionTextEncoding = 'utf-8' | 'mac-roman' | 'utf-16le' | 'utf-16be';

/**
 * Mac OS Roman bytes 0x80–0xFF as Unicode (Apple's ROMAN.TXT mapping, with 0xDB = € as in Mac OS
 * 8.5 and later; the WHATWG "macintosh" decoder agrees).
 */
const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

let macRomanEncodeTable: Map<number, number> | undefined;

/** Decodes Mac OS Roman bytes (every byte maps to one character, so this never fails). */
export function decodeMacRoman(bytes: Uint8Array): string {
  let out = '';
  let runStart = 0;
  // ASCII runs are decoded in slices: exports are mostly ASCII, and per-character concatenation is slow.
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) {
      if (i > runStart) out += asciiSlice(bytes, runStart, i);
      out += MAC_ROMAN_HIGH[b - 0x80] as string;
      runStart = i + 1;
    }
  }
  if (runStart < bytes.length) out += asciiSlice(bytes, runStart, bytes.length);
  return out;
}

const latin1 = new TextDecoder('latin1');
function asciiSlice(bytes: Uint8Array, from: number, to: number): string {
  // Bytes below 0x80 decode the same in every ASCII-compatible decoder.
  return latin1.decode(bytes.subarray(from, to));
}

/**
 * Encodes text as Mac OS Roman. Characters the encoding cannot hold become `?` and are listed in
 * `unmappable` (first 100) so a writer can report them.
 */
export function encodeMacRoman(text: string): { bytes: Uint8Array; unmappable: string[] } {
  if (!macRomanEncodeTable) {
    macRomanEncodeTable = new Map();
    for (let i = 0; i < MAC_ROMAN_HIGH.length; i++) macRomanEncodeTable.set(MAC_ROMAN_HIGH.charCodeAt(i), 0x80 + i);
  }
  const out = new Uint8Array(text.length);
  const unmappable: string[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    const b = macRomanEncodeTable.get(c);
    if (b !== undefined) {
      out[n++] = b;
      continue;
    }
    // A surrogate pair is one character: skip its second half.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
    if (unmappable.length < 100) unmappable.push(String.fromCodePoint(text.codePointAt(i - (c >= 0xd800 && c <= 0xdbff ? 1 : 0)) ?? c));
    out[n++] = 0x3f;
  }
  return { bytes: out.subarray(0, n), unmappable };
}

/** The result of {@link decodeSessionText}. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: SessionTextEncoding;
  /** True when the input began with a byte-order mark (it is not part of `text`). */
  readonly bom: boolean;
}

/**
 * Decodes an export. `encoding` forces one; otherwise a BOM (UTF-8, UTF-16 LE/BE) decides, then
 * strict UTF-8 (pure ASCII counts as UTF-8), else Mac OS Roman (spec/protools.md §1.9).
 */
export function decodeSessionText(input: Uint8Array, encoding?: SessionTextEncoding): DecodedText {
  const b0 = input[0];
  const b1 = input[1];
  const b2 = input[2];
  const utf8Bom = b0 === 0xef && b1 === 0xbb && b2 === 0xbf;
  const le = b0 === 0xff && b1 === 0xfe;
  const be = b0 === 0xfe && b1 === 0xff;
  const chosen: SessionTextEncoding | undefined = encoding ?? (utf8Bom ? 'utf-8' : le ? 'utf-16le' : be ? 'utf-16be' : undefined);
  if (chosen === 'mac-roman') return { text: decodeMacRoman(input), encoding: chosen, bom: false };
  if (chosen === 'utf-16le' || chosen === 'utf-16be') {
    const bom = chosen === 'utf-16le' ? le : be;
    return { text: new TextDecoder(chosen).decode(input.subarray(bom ? 2 : 0)), encoding: chosen, bom };
  }
  if (chosen === 'utf-8') {
    return { text: new TextDecoder('utf-8').decode(input.subarray(utf8Bom ? 3 : 0)), encoding: 'utf-8', bom: utf8Bom };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input), encoding: 'utf-8', bom: false };
  } catch {
    return { text: decodeMacRoman(input), encoding: 'mac-roman', bom: false };
  }
}

/** Encodes text for an export; unmappable characters (Mac OS Roman only) are listed. */
export function encodeSessionText(text: string, encoding: SessionTextEncoding, bom = false): { bytes: Uint8Array; unmappable: string[] } {
  if (encoding === 'mac-roman') return encodeMacRoman(text);
  if (encoding === 'utf-8') {
    const body = new TextEncoder().encode(text);
    if (!bom) return { bytes: body, unmappable: [] };
    const out = new Uint8Array(body.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
    return { bytes: out, unmappable: [] };
  }
  const off = bom ? 2 : 0;
  const out = new Uint8Array(off + text.length * 2);
  const dv = new DataView(out.buffer);
  if (bom) dv.setUint16(0, 0xfeff, encoding === 'utf-16le');
  for (let i = 0; i < text.length; i++) dv.setUint16(off + i * 2, text.charCodeAt(i), encoding === 'utf-16le');
  return { bytes: out, unmappable: [] };
}
