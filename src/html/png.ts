/**
 * A minimal PNG encoder (RGB, 8 bits a channel, no interlace; PNG specification, ISO/IEC 15948,
 * sections 5 and 11.2.2) with node:zlib's deflate and CRC-32, for heat maps embedded as data URIs:
 * one pixel per entry, so a 784×100 tensor is one image rather than 78,400 SVG elements.
 */
import { crc32, deflateSync } from 'node:zlib';

/** The 8-byte signature every PNG starts with (section 5.2). */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body)); // over the type and the data, not the length (section 5.3)
  return Buffer.concat([length, body, crc]);
}

/** `rgb` holds width × height × 3 bytes, row by row from the top. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || rgb.length !== width * height * 3) {
    throw new Error(`encodePng: ${width}×${height} needs ${width * height * 3} bytes of RGB; got ${rgb.length}`);
  }
  // Colour type 2 (truecolour), bit depth 8, compression 0, filter method 0, no interlace (section 11.2.2).
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  // Each scanline starts with its filter type; 0 (None): the colours of a map repeat little along a row.
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** The PNG as a `data:` URI. */
export function pngDataUri(width: number, height: number, rgb: Uint8Array): string {
  return `data:image/png;base64,${encodePng(width, height, rgb).toString('base64')}`;
}
