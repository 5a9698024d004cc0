import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bytes per pixel of 8-bit PNGs by colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a PNG far enough to know it is whole and sound: the signature, every chunk's CRC, the header, and
 * the image data inflated to exactly one filter byte plus one row of pixels per line. Throws on anything else.
 */
export function decodePng(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  const data: Buffer[] = [];
  let header: { width: number; height: number; depth: number; colour: number } | undefined;
  let at = 8;
  for (;;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const body = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length))
      throw new Error(`PNG chunk ${type} has a bad CRC`);
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8] ?? 0,
        colour: body[9] ?? 0,
      };
    }
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (header?.depth !== 8) throw new Error('PNG without an 8-bit header');
  const channels = CHANNELS[header.colour];
  if (!channels) throw new Error(`PNG colour type ${header.colour}`);
  const pixels = inflateSync(Buffer.concat(data));
  if (pixels.length !== header.height * (1 + header.width * channels))
    throw new Error('PNG image data does not match its size');
  return { width: header.width, height: header.height };
}
