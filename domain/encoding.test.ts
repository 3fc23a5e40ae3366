import { describe, expect, it } from "vitest";
import { fromBase64Url, sha256Hex, toBase64Url, toHex } from "./encoding";

describe("encodings", () => {
  it("write hex with two digits a byte, from bytes or a buffer", () => {
    const bytes = new Uint8Array([0, 1, 15, 16, 255]);
    expect(toHex(bytes)).toBe("00010f10ff");
    expect(toHex(bytes.buffer)).toBe("00010f10ff");
    expect(toHex(new Uint8Array())).toBe("");
  });

  it("write base64url without padding, of bytes or of a Latin-1 string", () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(toBase64Url(new Uint8Array([0xfb, 0xef, 0xbe]))).toBe("----");
    expect(toBase64Url(new Uint8Array([0xff, 0xff, 0xff]))).toBe("____");
    expect(toBase64Url("a")).toBe("YQ");
    expect(toBase64Url("ab")).toBe("YWI");
    expect(toBase64Url("\u00ff")).toBe("_w");
  });

  it("read base64url back, padded or not, and refuse what is not base64", () => {
    expect(fromBase64Url("-_8")).toBe("\u00fb\u00ff");
    expect(fromBase64Url("----")).toBe("\u00fb\u00ef\u00be");
    expect(fromBase64Url("YQ")).toBe("a");
    expect(fromBase64Url("YQ==")).toBe("a");
    expect(() => fromBase64Url("!!!")).toThrow();
  });

  it("hash UTF-8 text with SHA-256 to hex", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // "é" is two bytes in UTF-8 (c3 a9), not one Latin-1 byte.
    expect(await sha256Hex("é")).toBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  });
});
