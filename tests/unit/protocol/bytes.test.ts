import { describe, expect, it } from 'vitest';
import {
  carry,
  fromBase64,
  packBytes,
  receive,
  release,
  toBase64,
  unpackBytes,
} from '../../../lib/protocol/bytes';

const text = new TextEncoder().encode(
  `{"nodes":[${'{"name":"Ask the model","type":"ai"},'.repeat(5000)}{}]}`,
);

describe('a chosen file carried to the worker (Chromium: by reference)', () => {
  it('a package of megabytes is read whole, byte for byte', async () => {
    const large = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
    const carried = await carry(new Blob([large]));
    expect(carried).toEqual({ url: expect.stringMatching(/^blob:/) });
    const read = await receive(carried, large.length);
    // Compared as one buffer: an element-wise toEqual of 6 M numbers takes a minute.
    expect(read && Buffer.from(read).equals(Buffer.from(large))).toBe(true);
    release(carried);
  });

  it('is not read past the limit, once released, nor from anything but a blob: URL', async () => {
    const carried = await carry(new Blob([text]));
    expect(await receive(carried, text.length - 1)).toBeNull();
    const url = 'url' in carried ? carried.url : '';
    expect(await receive({ url: url.replace(/^blob:/, 'https:') }, text.length)).toBeNull();
    expect(await receive({ url: 'data:application/json,{}' }, 100)).toBeNull();
    release(carried);
    expect(await receive(carried, text.length)).toBeNull();
  });
});

describe('a chosen file carried to the worker (Firefox: packed)', () => {
  it('base64 round-trips any byte, and refuses text that is not base64', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(fromBase64('%%%')).toBeNull();
  });

  it('a package travels packed to a fraction of its size, and comes out byte for byte', async () => {
    const packed = await packBytes(text);
    expect(packed.length).toBeLessThan(text.length / 10);
    expect(await receive({ packed }, text.length)).toEqual(text);
  });

  it('is not unpacked past the limit, nor when it is not what packBytes made', async () => {
    const packed = await packBytes(text);
    expect(await unpackBytes(packed, text.length - 1)).toBeNull();
    expect(await unpackBytes(toBase64(text), text.length)).toBeNull();
    expect(await unpackBytes('%%%', 10)).toBeNull();
  });
});
