// Product images by content: what format the bytes are (never the file name or the declared type),
// their pixel size, and a copy without the metadata a camera or editor leaves in them.
//
// A careful minimal strip rather than a library: the Worker needs only to drop known metadata
// containers from three container formats, which is a walk over length-prefixed segments (JPEG) or
// chunks (PNG, WebP) copied through unchanged otherwise; no pixel is decoded or re-encoded. The
// libraries that strip (sharp, libvips/ImageMagick in WebAssembly) cost megabytes in the bundle,
// and the small JS ones either only read EXIF (exifr) or are JPEG-only and unmaintained (piexifjs).
// AVIF is refused: its EXIF and XMP are items of the ISO-BMFF `meta` box located through `iloc`
// offsets, so removing them means rewriting box offsets, not dropping a segment.

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;

export interface CheckedImage {
  type: ImageType;
  width: number;
  height: number;
  /** The image without its metadata segments/chunks. */
  bytes: Uint8Array;
}

export type ImageRefusal = "not_an_image" | "unsupported_image" | "too_large" | "bad_dimensions" | "incomplete_image";

export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; refusal: ImageRefusal };

const ascii = (b: Uint8Array, at: number, length: number) => String.fromCharCode(...b.subarray(at, at + length));
const be16 = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const be32 = (b: Uint8Array, at: number) => be16(b, at) * 65536 + be16(b, at + 2);
const le16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const le24 = (b: Uint8Array, at: number) => le16(b, at) | ((b[at + 2] ?? 0) << 16);
const le32 = (b: Uint8Array, at: number) => le16(b, at) + le16(b, at + 2) * 65536;

function concat(parts: Uint8Array[]) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// A parser's answer: the image, or why not (bytes that end before the format's end are incomplete;
// a structure that no writer makes is not an image).
type Parsed = { width: number; height: number; bytes: Uint8Array } | "not_an_image" | "incomplete_image";

// A cut-off upload must not pass for an image: decoders fill what is missing with grey and the
// product shows a broken picture. So each format's own end is required: JPEG's EOI after the
// scans, PNG's IEND after image data with every chunk's CRC right, WebP's RIFF size equal to the
// bytes received. Anything after the end is no part of the image and is not kept.

// JPEG: APP1 (EXIF, XMP), APP3–APP13 (IPTC in APP13, vendor data) and COM are dropped. Kept: APP0
// (JFIF), APP2 (the ICC colour profile: without it colours shift) and APP14 (Adobe: tells how to
// read the colour channels), the tables, the frame, every scan with its data as it is, and EOI.
const JPEG_DROP = new Set([0xe1, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xef, 0xfe]);
// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const EOI = 0xd9;
const SOS = 0xda;

/**
 * Where a scan's entropy-coded data ends: the next marker that is neither a stuffed zero, a
 * fill byte nor a restart marker (RST0–RST7), or null when the bytes end first.
 */
function scanEnd(b: Uint8Array, from: number): number | null {
  for (let i = from; i + 1 < b.length; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1] ?? 0;
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
    return i;
  }
  return null;
}

function parseJpeg(b: Uint8Array): Parsed {
  const kept: Uint8Array[] = [b.subarray(0, 2)];
  let at = 2;
  let size: { width: number; height: number } | null = null;
  // The frame's size once a scan has followed it: an image has at least one scan.
  let scanned: { width: number; height: number } | null = null;
  while (at + 2 <= b.length) {
    if (b[at] !== 0xff) return "not_an_image";
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === EOI) {
      if (!scanned) return "not_an_image";
      kept.push(b.subarray(at, at + 2));
      return { ...scanned, bytes: concat(kept) };
    }
    if (at + 4 > b.length) return "incomplete_image";
    const length = be16(b, at + 2);
    if (length < 2) return "not_an_image";
    if (at + 2 + length > b.length) return "incomplete_image";
    if (isStartOfFrame(marker)) size = { height: be16(b, at + 5), width: be16(b, at + 7) };
    let end = at + 2 + length;
    if (marker === SOS) {
      // A scan needs its frame first; its data runs to the next marker (another scan's tables,
      // the next scan of a progressive JPEG, or EOI).
      if (!size) return "not_an_image";
      const dataEnd = scanEnd(b, end);
      if (dataEnd === null) return "incomplete_image";
      end = dataEnd;
      scanned = size;
    }
    if (!JPEG_DROP.has(marker)) kept.push(b.subarray(at, end));
    at = end;
  }
  return "incomplete_image";
}

// PNG: text chunks (tEXt, zTXt, iTXt), eXIf and tIME are dropped; every other chunk is copied with
// its CRC, so nothing needs recomputing.
const PNG_DROP = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);

// CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320), one table for the isolate.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function parsePng(b: Uint8Array): Parsed {
  if (ascii(b, 12, 4) !== "IHDR") return "not_an_image";
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  let imageData = false;
  while (at + 12 <= b.length) {
    const length = be32(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (end > b.length) return "incomplete_image";
    // The CRC covers the type and the data: a wrong one is a damaged file (or one cut off and padded).
    if (crc32(b.subarray(at + 4, end - 4)) !== be32(b, end - 4)) return "incomplete_image";
    if (type === "IDAT") imageData = true;
    if (!PNG_DROP.has(type)) kept.push(b.subarray(at, end));
    if (type === "IEND") return imageData ? { width: be32(b, 16), height: be32(b, 20), bytes: concat(kept) } : "not_an_image";
    at = end;
  }
  return "incomplete_image";
}

// WebP: the EXIF and "XMP " chunks are dropped, their flags cleared in VP8X, the RIFF size fixed.
// The RIFF size must be the bytes received (a cut-off file claims more), and an image chunk
// (VP8, VP8L, or an animation's frames) must be there.
const WEBP_IMAGE_CHUNKS = new Set(["VP8 ", "VP8L", "ANMF"]);

function parseWebp(b: Uint8Array): Parsed {
  if (8 + le32(b, 4) !== b.length) return "incomplete_image";
  const kept: Uint8Array[] = [];
  let size: { width: number; height: number } | null = null;
  let vp8x: Uint8Array | null = null;
  let imageData = false;
  let at = 12;
  while (at + 8 <= b.length) {
    const fourcc = ascii(b, at, 4);
    const length = le32(b, at + 4);
    const end = at + 8 + length + (length % 2);
    if (end > b.length) return "incomplete_image";
    const data = at + 8;
    if (WEBP_IMAGE_CHUNKS.has(fourcc)) imageData = true;
    if (fourcc === "VP8X") {
      size ??= { width: le24(b, data + 4) + 1, height: le24(b, data + 7) + 1 };
      vp8x = b.slice(at, end);
      kept.push(vp8x);
    } else if (fourcc === "EXIF" || fourcc === "XMP ") {
      // dropped
    } else {
      if (fourcc === "VP8 " && ascii(b, data + 3, 3) === "\x9d\x01\x2a") {
        size ??= { width: le16(b, data + 6) & 0x3fff, height: le16(b, data + 8) & 0x3fff };
      } else if (fourcc === "VP8L" && b[data] === 0x2f) {
        const bits = le32(b, data + 1);
        size ??= { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      }
      kept.push(b.subarray(at, end));
    }
    at = end;
  }
  // Bytes left over that cannot hold a chunk header are a cut-off chunk.
  if (at !== b.length) return "incomplete_image";
  if (!size || !imageData) return "not_an_image";
  // VP8X flags: bit 3 EXIF, bit 2 XMP.
  if (vp8x) vp8x[8] = (vp8x[8] ?? 0) & ~0b1100;
  const body = concat(kept);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return { ...size, bytes: concat([header, body]) };
}

/** What the bytes are, by their signature. */
export function sniffImage(b: Uint8Array): ImageType | "image/avif" | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(b, 0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "image/webp";
  if (ascii(b, 4, 4) === "ftyp" && ["avif", "avis"].includes(ascii(b, 8, 4))) return "image/avif";
  return null;
}

/** Checks an upload by its content and returns it stripped of metadata, or why it is refused. */
export function checkImage(b: Uint8Array): ImageCheck {
  if (b.length > MAX_IMAGE_BYTES) return { ok: false, refusal: "too_large" };
  const type = sniffImage(b);
  if (type === "image/avif") return { ok: false, refusal: "unsupported_image" };
  if (!type) return { ok: false, refusal: "not_an_image" };
  const parsed = type === "image/jpeg" ? parseJpeg(b) : type === "image/png" ? parsePng(b) : parseWebp(b);
  // A signature without a readable structure behind it is not an image either.
  if (typeof parsed === "string") return { ok: false, refusal: parsed };
  const { width, height, bytes } = parsed;
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { ok: false, refusal: "bad_dimensions" };
  return { ok: true, image: { type, width, height, bytes } };
}

export const IMAGE_EXTENSIONS: Record<ImageType, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };
