import { describe, expect, it } from 'vitest';
import { fromBase64, packBytes, toBase64, unpackBytes } from '../../../lib/protocol/bytes';

const text = new TextEncoder().encode(
  `{"nodes":[${'{"name":"Ask the model","type":"ai"},'.repeat(5000)}{}]}`,
);

describe('bytes in messages', () => {
  it('base64 round-trips any byte, and refuses text that is not base64', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(fromBase64('%%%')).toBeNull();
  });

  it('a package travels packed to a fraction of its size, and comes out byte for byte', async () => {
    const packed = await packBytes(text);
    expect(packed.length).toBeLessThan(text.length / 10);
    expect(await unpackBytes(packed, text.length)).toEqual(text);
  });

  it('a package of megabytes, far more than the stream holds at once, comes through whole', async () => {
    const large = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
    const unpacked = await unpackBytes(await packBytes(large), large.length);
    // Compared as one buffer: an element-wise toEqual of 6 M numbers takes a minute.
    expect(unpacked && Buffer.from(unpacked).equals(Buffer.from(large))).toBe(true);
  });

  it('is not unpacked past the limit, nor when it is not what packBytes made', async () => {
    const packed = await packBytes(text);
    expect(await unpackBytes(packed, text.length - 1)).toBeNull();
    expect(await unpackBytes(toBase64(text), text.length)).toBeNull();
    expect(await unpackBytes('%%%', 10)).toBeNull();
  });
});
