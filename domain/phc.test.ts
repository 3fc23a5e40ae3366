import { describe, expect, it } from "vitest";
import { CURRENT_PARAMS, formatPhc, needsRehash, parsePhc, SALT_BYTES, toB64 } from "./phc";

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const b64 = (n: number) => toB64(bytes(n));
const phc = ({ m = 19456, t = 2, p = 1, salt = 16, hash = 32 } = {}) => `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;

describe("PHC strings", () => {
  it("use OWASP's first-choice Argon2id parameters and a 16-byte salt", () => {
    expect(CURRENT_PARAMS).toEqual({ memorySize: 19456, passes: 2, parallelism: 1, tagLength: 32 });
    expect(SALT_BYTES).toBe(16);
  });

  it("write standard base64 without padding", () => {
    expect(toB64(new Uint8Array([0xfb, 0xff]))).toBe("+/8");
    expect(toB64(bytes(16, 0))).toBe("AAAAAAAAAAAAAAAAAAAAAA");
    expect(toB64(new Uint8Array())).toBe("");
  });

  it("format and parse back the same parameters, salt and hash", () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const hash = Uint8Array.from({ length: 32 }, (_, i) => 255 - i * 3);
    const text = formatPhc(CURRENT_PARAMS, salt, hash);
    expect(text).toBe(`$argon2id$v=19$m=19456,t=2,p=1$${toB64(salt)}$${toB64(hash)}`);
    expect(parsePhc(text)).toEqual({ params: CURRENT_PARAMS, salt, hash });
  });

  it.each([
    ["argon2i", phc().replace("argon2id", "argon2i")],
    ["another version", phc().replace("v=19", "v=16")],
    ["a missing hash", phc().replace(/\$[^$]+$/, "")],
    ["an extra field", `${phc()}$AAAA`],
    ["a leading space", ` ${phc()}`],
    ["a trailing newline", `${phc()}\n`],
    ["base64url characters", phc().replace(/\$[^$]+$/, "$ab-_ab-_ab-_ab-_ab-_ab-_ab-_ab-_ab-_ab-_ab")],
    ["an impossible base64 length", phc().replace(/\$[^$]+$/, `$${"A".repeat(41)}`)],
    ["a 9-digit memory size", phc({ m: 100000000 })],
    ["a 4-digit pass count", phc({ t: 1000 })],
    ["a 3-digit parallelism", phc({ p: 100 })],
  ])("refuse %s", (_, text) => expect(parsePhc(text)).toBeNull());

  it.each([
    ["memory", { m: 7 }, { m: 8 }, { m: 65536 }, { m: 65537 }],
    ["passes", { t: 0 }, { t: 1 }, { t: 10 }, { t: 11 }],
    ["parallelism", { p: 0 }, { p: 1, m: 64 }, { p: 4, m: 64 }, { p: 5, m: 64 }],
    ["hash length", { hash: 15 }, { hash: 16 }, { hash: 64 }, { hash: 65 }],
    ["salt length", { salt: 7 }, { salt: 8 }, { salt: 64 }, { salt: 65 }],
  ])("bound the %s: refuse below, accept the limits, refuse above", (_, below, low, high, above) => {
    expect(parsePhc(phc(below))).toBeNull();
    expect(parsePhc(phc(low))).not.toBeNull();
    expect(parsePhc(phc(high))).not.toBeNull();
    expect(parsePhc(phc(above))).toBeNull();
  });

  it("refuse less than 8 KiB of memory per lane", () => {
    expect(parsePhc(phc({ m: 31, p: 4 }))).toBeNull();
    expect(parsePhc(phc({ m: 32, p: 4 }))?.params).toEqual({ memorySize: 32, passes: 2, parallelism: 4, tagLength: 32 });
  });

  it("take the tag length from the hash", () => {
    expect(parsePhc(phc({ hash: 20 }))?.params.tagLength).toBe(20);
  });
});

describe("rehashing", () => {
  it("is needed when any parameter differs from the current ones, and only then", () => {
    expect(needsRehash(CURRENT_PARAMS)).toBe(false);
    expect(needsRehash({ ...CURRENT_PARAMS, memorySize: 12288 })).toBe(true);
    expect(needsRehash({ ...CURRENT_PARAMS, passes: 3 })).toBe(true);
    expect(needsRehash({ ...CURRENT_PARAMS, parallelism: 2 })).toBe(true);
    expect(needsRehash({ ...CURRENT_PARAMS, tagLength: 16 })).toBe(true);
  });
});
