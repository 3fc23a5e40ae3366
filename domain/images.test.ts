import { describe, expect, it } from "vitest";
import { bytesOf, GRADIENT_JPEG, GRADIENT_PNG, GRADIENT_WEBP } from "../test/fixtures/images";
import { contains, jpegWithExif, pngWithText, SECRET, webpWithExif } from "../test/fixtures/metadata";
import { checkImage, MAX_IMAGE_BYTES, sniffImage } from "./images";

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
    ["a JPEG signature with nothing after it", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00])],
    ["a truncated PNG", bytesOf(GRADIENT_PNG).subarray(0, 60)],
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
});
