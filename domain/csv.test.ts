import { describe, expect, it } from "vitest";
import { csvField, csvRow, decimalAmount, UTF8_BOM } from "./csv";

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    ["=a,b", `"'=a,b"`],
    ["", ""],
  ])("%j → %j", (input, output) => expect(csvField(input)).toBe(output));
  it("writes numbers and empty values as they are", () => {
    expect([csvField(-12), csvField(null), csvField(undefined)]).toEqual(["-12", "", ""]);
  });
});

describe("csvRow", () => {
  it("ends with CRLF", () => expect(csvRow(["a", 1, null])).toBe("a,1,\r\n"));
});

describe("decimalAmount", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [1234, "12.34"],
    [-250, "-2.50"],
  ])("%i → %s", (cents, text) => expect(decimalAmount(cents)).toBe(text));
});

describe("the byte order mark", () => {
  it("is U+FEFF, the bytes EF BB BF in UTF-8, which tells Excel the file is UTF-8", () => {
    expect([...new TextEncoder().encode(UTF8_BOM)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
