/**
 * Detection shared by the JSON-based formats: the first 4 KiB hold a JSON object (after an
 * optional UTF-8 BOM and white space) that contains `marker`'s bytes.
 */
export function jsonObjectWith(bytes: Uint8Array, marker: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
  if (bytes[i] !== 0x7b) return false;
  const end = Math.min(bytes.length, 4096) - marker.length;
  outer: for (let j = i; j <= end; j++) {
    for (let k = 0; k < marker.length; k++) if (bytes[j + k] !== marker[k]) continue outer;
    return true;
  }
  return false;
}
