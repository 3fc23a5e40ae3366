import { describe, expect, it } from "vitest";
import { hashRefreshToken, newRefreshToken, REFRESH_COOKIE, REFRESH_TOKEN_PATTERN, REFRESH_TOKEN_TTL_MS } from "./refresh-token";

describe("refresh tokens", () => {
  it("are 43 URL-safe characters (32 random bytes, unpadded base64url), new each time", () => {
    const tokens = Array.from({ length: 200 }, newRefreshToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(200);
    // Over 200 tokens both URL-safe substitutes turn up: "+" and "/" were replaced, not dropped.
    expect(tokens.join("")).toMatch(/-/);
    expect(tokens.join("")).toMatch(/_/);
  });

  it("are stored as their SHA-256 in hex", async () => {
    expect(await hashRefreshToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each([
    ["a token we issue", "A".repeat(42) + "-", true],
    ["one with _", `${"a".repeat(42)}_`, true],
    ["one character short", "A".repeat(42), false],
    ["one character long", "A".repeat(44), false],
    ["standard base64", `${"A".repeat(42)}+`, false],
    ["with a prefix", ` ${"A".repeat(43)}`, false],
    ["with a suffix", `${"A".repeat(43)}\n`, false],
  ])("the pattern takes %s: %s", (_, text, ok) => expect(REFRESH_TOKEN_PATTERN.test(text)).toBe(ok));

  it("live 30 days in the sf_refresh cookie", () => {
    expect(REFRESH_TOKEN_TTL_MS).toBe(30 * 24 * 60 * 60 * 1000);
    expect(REFRESH_COOKIE).toBe("sf_refresh");
  });
});
