/** Is this text UTF-16 (as Windows tools often save it), and which byte order? */

/** UTF-16 without a byte-order mark: one byte of (nearly) every pair is zero, on the same side. */
function bomlessUtf16(probe: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(probe.length / 2);
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < probe.length; i += 2) {
    if (probe[i] === 0) evenZeros += 1;
    if (probe[i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros >= pairs * 0.9 && evenZeros <= pairs * 0.02) return 'utf-16le';
  if (evenZeros >= pairs * 0.9 && oddZeros <= pairs * 0.02) return 'utf-16be';
  return undefined;
}

/** UTF-16 by its byte-order mark, or (when `probe` holds a NUL) by its zero bytes; else undefined. */
export function utf16Encoding(probe: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (probe[0] === 0xff && probe[1] === 0xfe) return 'utf-16le';
  if (probe[0] === 0xfe && probe[1] === 0xff) return 'utf-16be';
  return probe.includes(0) ? bomlessUtf16(probe) : undefined;
}
