// The PNG encoder against the PNG specification (ISO/IEC 15948): the signature, IHDR's fields, each
// chunk's CRC-32 over its type and data, and scanlines of filter byte 0 followed by the RGB bytes.
// (Chromium decoding it is tested in browser.test.ts.)
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, pngDataUri } from '../../src/html/png.js';

function chunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    out.push({ type: type.toString('latin1'), data, crcOk: png.readUInt32BE(at + 8 + length) === crc32(Buffer.concat([type, data])) });
    at += 12 + length;
  }
  return out;
}

describe('encodePng', () => {
  it('writes the signature, IHDR (2×3, 8-bit truecolour), one IDAT of filtered scanlines and IEND, every CRC right', () => {
    const rgb = Uint8Array.from({ length: 2 * 3 * 3 }, (_, k) => k * 10);
    const png = encodePng(2, 3, rgb);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const parts = chunks(png);
    expect(parts.map((c) => [c.type, c.crcOk])).toEqual([['IHDR', true], ['IDAT', true], ['IEND', true]]);
    const ihdr = parts[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([2, 3, 8, 2, 0, 0, 0]);
    const raw = inflateSync(parts[1].data);
    expect([...raw]).toEqual([0, ...rgb.subarray(0, 6), 0, ...rgb.subarray(6, 12), 0, ...rgb.subarray(12, 18)]);
    expect(pngDataUri(2, 3, rgb)).toBe(`data:image/png;base64,${png.toString('base64')}`);
  });

  it('names a size that does not match the pixels', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow('encodePng: 2×2 needs 12 bytes of RGB; got 11');
    expect(() => encodePng(0, 1, new Uint8Array(0))).toThrow('encodePng: 0×1 needs 0 bytes of RGB; got 0');
  });
});
