import { describe, expect, it } from "vitest";
import { bytesOf, GRADIENT_JPEG, GRADIENT_PNG, GRADIENT_WEBP } from "../test/fixtures/images";
import { INCOMPLETE_IMAGES } from "../test/fixtures/incomplete";
import { concat, contains, crc32, jpegWithExif, pngWithText, SECRET, webpWithExif } from "../test/fixtures/metadata";
import { checkImage, IMAGE_EXTENSIONS, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, sniffImage } from "./images";

describe("checkImage", () => {
  it.each([
    ["JPEG", GRADIENT_JPEG, "image/jpeg"],
    ["PNG", GRADIENT_PNG, "image/png"],
    ["WebP", GRADIENT_WEBP, "image/webp"],
  ])("reads a %s's type and size from its bytes", (_, base64, type) => {
    const result = checkImage(bytesOf(base64));
    expect(result.ok && { type: result.image.type, width: result.image.width, height: result.image.height }).toEqual({
      type,
      width: 64,
      height: 48,
    });
  });

  it.each([
    ["JPEG APP1 EXIF", jpegWithExif],
    ["PNG tEXt", pngWithText],
    ["WebP EXIF", webpWithExif],
  ])("strips %s and keeps the rest byte for byte", (_, make) => {
    const withMetadata = make();
    expect(contains(withMetadata, SECRET)).toBe(true);
    const result = checkImage(withMetadata);
    if (!result.ok) throw new Error(result.refusal);
    expect(contains(result.image.bytes, SECRET)).toBe(false);
    expect([result.image.width, result.image.height]).toEqual([64, 48]);
  });

  it("gives back a clean JPEG, PNG or WebP unchanged", () => {
    for (const base64 of [GRADIENT_JPEG, GRADIENT_PNG]) {
      const result = checkImage(bytesOf(base64));
      expect(result.ok && result.image.bytes).toEqual(bytesOf(base64));
    }
  });

  it("clears the WebP EXIF flag and fixes the RIFF size", () => {
    const result = checkImage(webpWithExif());
    if (!result.ok) throw new Error(result.refusal);
    const b = result.image.bytes;
    expect((b[20] ?? 0) & 0b1000).toBe(0);
    expect(new DataView(b.buffer, b.byteOffset).getUint32(4, true)).toBe(b.length - 8);
    expect(b).toEqual(bytesOf(GRADIENT_WEBP));
  });

  it.each([
    ["text renamed .jpg", new TextEncoder().encode("hello, I am a text file pretending to be a photo.jpg")],
    ["an empty file", new Uint8Array(0)],
    ["an SVG (scripts inside)", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
  ])("refuses %s as not an image", (_, bytes) => expect(checkImage(bytes)).toEqual({ ok: false, refusal: "not_an_image" }));

  it("refuses AVIF (its metadata cannot be dropped without rewriting the container)", () => {
    const avif = new Uint8Array([0, 0, 0, 0x1c, ...new TextEncoder().encode("ftypavif"), 0, 0, 0, 0]);
    expect(sniffImage(avif)).toBe("image/avif");
    expect(checkImage(avif)).toEqual({ ok: false, refusal: "unsupported_image" });
  });

  it("refuses more than the size limit", () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(bytesOf(GRADIENT_JPEG));
    expect(checkImage(big)).toEqual({ ok: false, refusal: "too_large" });
  });

  it.each(INCOMPLETE_IMAGES)("refuses %s as incomplete", (_, make) => {
    expect(checkImage(make())).toEqual({ ok: false, refusal: "incomplete_image" });
  });
});

const text = new TextEncoder();
const jpeg = () => bytesOf(GRADIENT_JPEG);
const png = () => bytesOf(GRADIENT_PNG);
const webp = () => bytesOf(GRADIENT_WEBP);
const bytes = (...values: number[]) => new Uint8Array(values);
/** A JPEG segment: marker, big-endian length (counting itself), payload. */
const segment = (marker: number, payload: Uint8Array) =>
  concat(bytes(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload);
/** A PNG chunk with its CRC right. */
function chunk(type: string, data: Uint8Array) {
  const typeAndData = concat(text.encode(type), data);
  const out = new Uint8Array(typeAndData.length + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeAndData, 4);
  view.setUint32(out.length - 4, crc32(typeAndData));
  return out;
}
/** A RIFF/WEBP file of the given chunks (fourcc, data), each padded to even length, its size right. */
function riff(...chunks: [string, Uint8Array][]) {
  const body = concat(
    text.encode("WEBP"),
    ...chunks.map(([fourcc, data]) =>
      concat(text.encode(fourcc), new Uint8Array(new Uint32Array([data.length]).buffer), data, new Uint8Array(data.length % 2)),
    ),
  );
  return concat(text.encode("RIFF"), new Uint8Array(new Uint32Array([body.length]).buffer), body);
}
const sizeOf = (b: Uint8Array) => {
  const result = checkImage(b);
  return result.ok ? [result.image.width, result.image.height] : result.refusal;
};

// The fixture JPEG (890 bytes): SOI, APP0 at 2, APP2 (ICC) at 20, DQT ×2, SOF0 at 632, DHT ×4
// from 651, SOS at 750 (12-byte header), scan data, EOI at 888.
const SOF_AT = 632;
const SOS_AT = 750;
const EOI_AT = 888;

describe("JPEG structure", () => {
  it("keeps every scan of a multi-scan (progressive) JPEG, with restart markers, stuffed and fill bytes, up to EOI", () => {
    const b = jpeg();
    // A second scan after more tables, its data with FF00 (stuffed), RST0 and RST7, then fill bytes before EOI.
    const secondScan = concat(
      b.subarray(651, 676),
      b.subarray(SOS_AT, SOS_AT + 14),
      bytes(0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x78, 0xff, 0xff),
    );
    const metadataBetweenScans = segment(0xe1, text.encode(`Exif\0\0${SECRET}`));
    const input = concat(b.subarray(0, EOI_AT), metadataBetweenScans, secondScan, bytes(0xff, 0xd9));
    const result = checkImage(input);
    if (!result.ok) throw new Error(result.refusal);
    expect(result.image.bytes).toEqual(concat(b.subarray(0, EOI_AT), secondScan, bytes(0xff, 0xd9)));
    expect([result.image.width, result.image.height]).toEqual([64, 48]);
  });

  it("skips a table segment between scans by its length, whatever bytes it holds", () => {
    const b = jpeg();
    // A DHT whose payload holds what would read as a COM marker were it scanned as data.
    const tables = segment(0xc4, bytes(0x10, 0xff, 0xfe, 0x00, 0x04, 0x61, 0x62, 0x00));
    const input = concat(b.subarray(0, EOI_AT), tables, b.subarray(SOS_AT, EOI_AT), bytes(0xff, 0xd9));
    const result = checkImage(input);
    expect(result.ok && result.image.bytes).toEqual(input);
  });

  it("keeps an empty segment's neighbours and drops the empty APP3 itself", () => {
    const b = jpeg();
    const result = checkImage(concat(b.subarray(0, 20), bytes(0xff, 0xe3, 0x00, 0x02), b.subarray(20)));
    expect(result.ok && result.image.bytes).toEqual(b);
  });

  it("drops fill bytes between segments and anything after EOI", () => {
    const b = jpeg();
    const input = concat(b.subarray(0, 2), bytes(0xff, 0xff), b.subarray(2), text.encode(`trailing ${SECRET}`));
    const result = checkImage(input);
    expect(result.ok && result.image.bytes).toEqual(b);
  });

  it.each([
    ["SOF0", 0xc0, [64, 48]],
    ["SOF2 (progressive)", 0xc2, [64, 48]],
    ["SOF15", 0xcf, [64, 48]],
  ])("reads the size from a %s frame", (_, marker, size) => {
    const b = jpeg();
    b[SOF_AT + 1] = marker;
    expect(sizeOf(b)).toEqual(size);
  });

  it.each([
    ["DHT", 0xc4],
    ["JPG", 0xc8],
    ["DAC", 0xcc],
    ["APP0", 0xe0],
    ["an unknown marker below the frames' range", 0xbf],
  ])("does not read a size from a %s segment after the frame", (_, marker) => {
    const b = jpeg();
    // Right after the frame, a segment whose bytes would read as 4096×4096 were it a frame.
    const other = segment(marker, bytes(8, 0x10, 0x00, 0x10, 0x00, 1, 1, 0x11, 0));
    expect(sizeOf(concat(b.subarray(0, SOF_AT + 19), other, b.subarray(SOF_AT + 19)))).toEqual([64, 48]);
  });

  it.each([
    ["an EOI before any scan", () => concat(jpeg().subarray(0, 20), bytes(0xff, 0xd9))],
    ["a scan before any frame", () => concat(jpeg().subarray(0, 20), jpeg().subarray(SOS_AT))],
    ["a segment length below 2", () => concat(jpeg().subarray(0, 20), bytes(0xff, 0xe1, 0x00, 0x01, 0x00, 0x00), jpeg().subarray(20))],
    // Were the first byte not checked, this would read as an APP1 segment and be dropped.
    [
      "bytes where a marker should be",
      () => concat(jpeg().subarray(0, 20), bytes(0x12, 0xe1, 0x00, 0x04, 0x00, 0x00), jpeg().subarray(20)),
    ],
    [
      "a scan before the frame, even with a frame and scan after it",
      () => concat(jpeg().subarray(0, 20), jpeg().subarray(SOS_AT, EOI_AT), jpeg().subarray(20)),
    ],
    ["a segment length below 2 at the very end", () => concat(jpeg().subarray(0, 20), bytes(0xff, 0xe1, 0x00, 0x01))],
  ])("refuses %s as not an image", (_, make) => {
    expect(checkImage(make())).toEqual({ ok: false, refusal: "not_an_image" });
  });
});

describe("PNG structure", () => {
  it("refuses chunks that end at IEND with no image data before it", () => {
    const b = png();
    expect(checkImage(concat(b.subarray(0, 33), chunk("IEND", new Uint8Array(0))))).toEqual({ ok: false, refusal: "not_an_image" });
  });

  it("refuses a PNG whose first chunk is not IHDR", () => {
    const b = png();
    expect(checkImage(concat(b.subarray(0, 8), chunk("gAMA", bytes(0, 0, 0xb1, 0x8f)), b.subarray(8)))).toEqual({
      ok: false,
      refusal: "not_an_image",
    });
  });

  it("refuses a chunk whose CRC is wrong, even a dropped one", () => {
    const b = png();
    const text = chunk("tEXt", new TextEncoder().encode("Comment\0x"));
    text[text.length - 1] = (text[text.length - 1] ?? 0) ^ 1;
    expect(checkImage(concat(b.subarray(0, 33), text, b.subarray(33)))).toEqual({ ok: false, refusal: "incomplete_image" });
  });

  it("keeps the image up to IEND and drops what follows it", () => {
    const b = png();
    const result = checkImage(concat(b, text.encode(SECRET)));
    expect(result.ok && result.image.bytes).toEqual(b);
  });

  it.each(["zTXt", "iTXt", "eXIf", "tIME"])("drops a %s chunk", (type) => {
    const b = png();
    const result = checkImage(concat(b.subarray(0, 33), chunk(type, text.encode(SECRET)), b.subarray(33)));
    expect(result.ok && result.image.bytes).toEqual(b);
  });
});

describe("WebP structure", () => {
  const b = webp();
  // The fixture: VP8X at 12, ICCP at 30, VP8 at 494 (124 bytes of data).
  const vp8 = b.subarray(502, 626);

  it("reads a simple lossy WebP's size from its VP8 frame header, without the scale bits", () => {
    const frame = vp8.slice();
    frame[7] = (frame[7] ?? 0) | 0xc0; // horizontal scale: the top two bits of the width field
    frame[9] = (frame[9] ?? 0) | 0x40;
    expect(sizeOf(riff(["VP8 ", frame]))).toEqual([64, 48]);
  });

  it("refuses a VP8 chunk without the frame's start code", () => {
    const frame = vp8.slice();
    frame[4] = 0;
    expect(checkImage(riff(["VP8 ", frame]))).toEqual({ ok: false, refusal: "not_an_image" });
  });

  it("reads a lossless WebP's size from its VP8L header (alpha and version bits ignored)", () => {
    const bits = 63 | (47 << 14) | (1 << 28);
    const header = concat(bytes(0x2f), new Uint8Array(new Uint32Array([bits]).buffer), bytes(0, 0, 0));
    expect(sizeOf(riff(["VP8L", header]))).toEqual([64, 48]);
    header[0] = 0x2e;
    expect(checkImage(riff(["VP8L", header]))).toEqual({ ok: false, refusal: "not_an_image" });
  });

  it("takes an animation's frames as image data, sized by VP8X", () => {
    const vp8x = b.slice(20, 30);
    vp8x[0] = 0b10; // animation flag only
    expect(sizeOf(riff(["VP8X", vp8x], ["ANIM", new Uint8Array(6)], ["ANMF", new Uint8Array(16)]))).toEqual([64, 48]);
  });

  it("reads the size only from a VP8 or VP8L chunk's own header", () => {
    // Chunks before the frame whose bytes look like a VP8 start code or a VP8L signature (16×16).
    const lookalikeVp8 = bytes(0, 0, 0, 0x9d, 0x01, 0x2a, 16, 0, 16, 0);
    const lookalikeVp8l = concat(bytes(0x2f), new Uint8Array(new Uint32Array([15 | (15 << 14)]).buffer));
    expect(sizeOf(riff(["ALPH", lookalikeVp8], ["VP8 ", vp8]))).toEqual([64, 48]);
    expect(sizeOf(riff(["ALPH", lookalikeVp8l], ["VP8 ", vp8]))).toEqual([64, 48]);
  });

  it("reads VP8X's 24-bit canvas size (too large here)", () => {
    const vp8x = b.slice(20, 30);
    vp8x.set([0x00, 0x00, 0x01], 4); // width − 1 = 65536
    expect(checkImage(riff(["VP8X", vp8x], ["VP8 ", vp8]))).toEqual({ ok: false, refusal: "bad_dimensions" });
  });

  it("refuses a VP8X with no image chunk", () => {
    expect(checkImage(riff(["VP8X", b.slice(20, 30)]))).toEqual({ ok: false, refusal: "not_an_image" });
  });

  it("refuses a chunk longer than the file, the RIFF size agreeing", () => {
    const cut = riff(["VP8 ", vp8]);
    new DataView(cut.buffer).setUint32(16, vp8.length + 2, true);
    expect(checkImage(cut)).toEqual({ ok: false, refusal: "incomplete_image" });
  });

  it("refuses leftover bytes too short for a chunk header, the RIFF size counting them", () => {
    const file = concat(riff(["VP8 ", vp8]), bytes(0, 0, 0, 0));
    new DataView(file.buffer).setUint32(4, file.length - 8, true);
    expect(checkImage(file)).toEqual({ ok: false, refusal: "incomplete_image" });
  });

  it("pads an odd-length chunk and keeps the chunks after it, an empty last one included", () => {
    const file = riff(["VP8 ", vp8], ["ALPH", bytes(1, 2, 3)], ["JUNK", new Uint8Array(0)]);
    const result = checkImage(file);
    expect(result.ok && result.image.bytes).toEqual(file);
  });

  it("drops XMP and clears both metadata flags", () => {
    const vp8x = b.slice(20, 30);
    vp8x[0] = (vp8x[0] ?? 0) | 0b1100;
    const result = checkImage(riff(["VP8X", vp8x], ["VP8 ", vp8], ["XMP ", text.encode(SECRET)]));
    if (!result.ok) throw new Error(result.refusal);
    const clean = b.slice(20, 30);
    clean[0] = (clean[0] ?? 0) & ~0b1100;
    expect(result.image.bytes).toEqual(riff(["VP8X", clean], ["VP8 ", vp8]));
  });
});

describe("limits and signatures", () => {
  /** The fixture JPEG claiming another size in its frame. */
  const sized = (width: number, height: number) => {
    const b = jpeg();
    const view = new DataView(b.buffer);
    view.setUint16(SOF_AT + 5, height);
    view.setUint16(SOF_AT + 7, width);
    return b;
  };

  it.each([
    [1, 1, [1, 1]],
    [MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, [MAX_IMAGE_SIDE, MAX_IMAGE_SIDE]],
    [0, 48, "bad_dimensions"],
    [64, 0, "bad_dimensions"],
    [MAX_IMAGE_SIDE + 1, 48, "bad_dimensions"],
    [64, MAX_IMAGE_SIDE + 1, "bad_dimensions"],
  ])("a %i×%i image is %j", (width, height, expected) => {
    expect(sizeOf(sized(width, height))).toEqual(expected);
  });

  it("takes exactly the size limit (bytes after EOI not kept)", () => {
    const b = new Uint8Array(MAX_IMAGE_BYTES);
    b.set(jpeg());
    const result = checkImage(b);
    expect(result.ok && result.image.bytes).toEqual(jpeg());
  });

  it.each<[string, number[] | string, string | null]>([
    ["JPEG", [0xff, 0xd8, 0xff], "image/jpeg"],
    ["JPEG without its first byte", [0x00, 0xd8, 0xff], null],
    ["JPEG without SOI's second byte", [0xff, 0x00, 0xff], null],
    ["JPEG without a marker after SOI", [0xff, 0xd8, 0x00], null],
    ["WebP", "RIFF\0\0\0\0WEBP", "image/webp"],
    ["RIFF of another kind", "RIFF\0\0\0\0AVI ", null],
    ["WEBP without RIFF", "RIFX\0\0\0\0WEBP", null],
    ["AVIF", "\0\0\0\x1cftypavif", "image/avif"],
    ["AVIF sequence", "\0\0\0\x1cftypavis", "image/avif"],
    ["HEIC", "\0\0\0\x1cftypheic", null],
    ["avif without ftyp", "\0\0\0\x1cftyxavif", null],
  ])("sniffs %s as %s", (_, signature, type) => {
    const b = typeof signature === "string" ? Uint8Array.from(signature, (c) => c.charCodeAt(0)) : new Uint8Array(signature);
    expect(sniffImage(b)).toBe(type);
  });

  it("names each type's file extension", () => {
    expect(IMAGE_EXTENSIONS).toEqual({ "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" });
  });
});
