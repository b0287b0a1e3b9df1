// A photographer's hero image for the benchmark's host page, made here with Node's zlib: a PNG
// of blocks of colour over soft gradients, which deflate cannot squeeze much (about 200 KB for
// 1600 × 800), so that it downloads like a real photograph would.
import { deflateSync } from 'node:zlib';

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4); head.writeUInt32BE(data.length);
  const tail = Buffer.alloc(4); tail.writeUInt32BE(crc32(typed));
  return Buffer.concat([head, typed, tail]);
};

/** An RGB PNG of `width` × `height`: a random colour per `block` × `block` square (a fixed
 * seed: the same bytes every run) over gradients; rows within a block repeat (PNG's Up filter). */
export function heroPng(width = 1600, height = 800, block = 8) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; // 8 bits per channel, RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  let p = 0;
  for (let y = 0; y < height; y++) {
    if (y % block === 0) {
      rows[p++] = 0; // None: the row as it is
      for (let x = 0; x < width; x += block) {
        const noise = [random(), random(), random()];
        for (let k = x; k < Math.min(width, x + block); k++) {
          const base = [120 + 80 * Math.sin(k / 150), 90 + 60 * Math.cos(y / 90), 60 + (k + y) / 20];
          for (let i = 0; i < 3; i++) rows[p + k * 3 + i] = (noise[i] / 3 + base[i]) & 255;
        }
      }
    } else {
      rows[p++] = 2; // Up: the same as the row above (zeros follow)
    }
    p += width * 3;
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}
