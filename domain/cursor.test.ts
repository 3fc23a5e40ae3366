import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

const b64 = (json: string) => btoa(json);

describe("cursors", () => {
  it.each([
    { v: 1234, id: "abc" },
    { v: 0.5, id: "x" },
    { v: "2026-06-01", id: "0b7c1b1e-2f1a-4c4e-9d7e-1f6e2a3b4c5d" },
    // Standard base64 of these holds "+", "/" and "=" padding: the cursor must not.
    { v: "~~~?", id: ">>>" },
    { v: 1, id: "ab" },
    { v: 1, id: "abcd" },
  ])("round-trips %j as URL-safe text", (cursor) => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it("is URL-safe where standard base64 would not be", () => {
    const standard = b64(JSON.stringify(["~~~?", ">>>"]));
    expect(standard).toMatch(/\+/);
    expect(standard).toMatch(/\//);
    expect(b64(JSON.stringify([1, "ab"]))).toMatch(/[^=]=$/);
    expect(b64(JSON.stringify([1, "abcd"]))).toMatch(/==$/);
    expect(encodeCursor({ v: "~~~?", id: ">>>" })).toBe(standard.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  });

  it.each([
    ["empty", ""],
    ["not base64", "!!!"],
    ["an object", b64("{}")],
    ["a string", b64('"ab"')],
    ["one element", b64('["x"]')],
    ["three elements", b64('["a","b","c"]')],
    ["a boolean sort value", b64('[true,"id"]')],
    ["a null sort value", b64('[null,"id"]')],
    ["a numeric id", b64("[1,2]")],
    ["a missing id", b64("[1,null]")],
    ["an infinite sort value", b64('[1e999,"a"]')],
    ["not JSON", b64("[1,")],
  ])("refuses %s", (_, text) => expect(decodeCursor(text)).toBeNull());
});
