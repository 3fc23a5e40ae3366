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

export type ImageRefusal = "not_an_image" | "unsupported_image" | "too_large" | "bad_dimensions";

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

type Parsed = { width: number; height: number; bytes: Uint8Array } | null;

// JPEG: APP1 (EXIF, XMP), APP3–APP13 (IPTC in APP13, vendor data) and COM are dropped. Kept: APP0
// (JFIF), APP2 (the ICC colour profile: without it colours shift) and APP14 (Adobe: tells how to
// read the colour channels), and everything from the start of scan on, as it is.
const JPEG_DROP = new Set([0xe1, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xef, 0xfe]);
// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function parseJpeg(b: Uint8Array): Parsed {
  const kept: Uint8Array[] = [b.subarray(0, 2)];
  let at = 2;
  let size: { width: number; height: number } | null = null;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = be16(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) return null;
    if (isStartOfFrame(marker)) size = { height: be16(b, at + 5), width: be16(b, at + 7) };
    if (marker === 0xda) {
      // Start of scan: the compressed data and the end marker follow; copied as they are.
      if (!size) return null;
      kept.push(b.subarray(at));
      return { ...size, bytes: concat(kept) };
    }
    if (!JPEG_DROP.has(marker)) kept.push(b.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return null;
}

// PNG: text chunks (tEXt, zTXt, iTXt), eXIf and tIME are dropped; every other chunk is copied with
// its CRC, so nothing needs recomputing.
const PNG_DROP = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);

function parsePng(b: Uint8Array): Parsed {
  if (ascii(b, 12, 4) !== "IHDR") return null;
  const kept: Uint8Array[] = [b.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= b.length) {
    const length = be32(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (end > b.length) return null;
    if (!PNG_DROP.has(type)) kept.push(b.subarray(at, end));
    if (type === "IEND") return { width: be32(b, 16), height: be32(b, 20), bytes: concat(kept) };
    at = end;
  }
  return null;
}

// WebP: the EXIF and "XMP " chunks are dropped, their flags cleared in VP8X, the RIFF size fixed.
function parseWebp(b: Uint8Array): Parsed {
  const kept: Uint8Array[] = [];
  let size: { width: number; height: number } | null = null;
  let vp8x: Uint8Array | null = null;
  let at = 12;
  const riffEnd = Math.min(b.length, 8 + le32(b, 4));
  while (at + 8 <= riffEnd) {
    const fourcc = ascii(b, at, 4);
    const length = le32(b, at + 4);
    const end = at + 8 + length + (length % 2);
    if (at + 8 + length > riffEnd) return null;
    const data = at + 8;
    if (fourcc === "VP8X") {
      size ??= { width: le24(b, data + 4) + 1, height: le24(b, data + 7) + 1 };
      vp8x = b.slice(at, Math.min(end, riffEnd));
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
      kept.push(b.subarray(at, Math.min(end, riffEnd)));
    }
    at = end;
  }
  if (!size) return null;
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
  if (!parsed) return { ok: false, refusal: "not_an_image" };
  const { width, height, bytes } = parsed;
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return { ok: false, refusal: "bad_dimensions" };
  return { ok: true, image: { type, width, height, bytes } };
}

export const IMAGE_EXTENSIONS: Record<ImageType, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };
