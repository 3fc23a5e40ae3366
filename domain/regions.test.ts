import { describe, expect, it } from "vitest";
import { isCountryCode, subdivisionOf, taxedBySubdivision, unknownRegion } from "./regions";

describe("country codes", () => {
  it.each([
    ["DE", true],
    ["GB", true],
    ["US", true],
    ["ZW", true],
    // One from each line of the list.
    ["CA", true],
    ["GA", true],
    ["JP", true],
    ["MS", true],
    ["RS", true],
    ["TW", true],
    ["AD", true],
    ["ZZ", false],
    ["UK", false],
    ["EU", false],
    ["de", false],
  ])("%s is a country: %s", (code, ok) => expect(isCountryCode(code)).toBe(ok));
});

describe("subdivisions", () => {
  it("are what US tax is set by, and nowhere else's", () => {
    expect(taxedBySubdivision("US")).toBe(true);
    expect(taxedBySubdivision("DE")).toBe(false);
    expect(taxedBySubdivision("constructor")).toBe(false);
  });

  it.each([
    ["US", "CA", "CA"],
    ["US", " ny ", "NY"],
    ["US", "WY", "WY"],
    ["US", "AL", "AL"],
    ["US", "California", null],
    ["US", undefined, null],
    ["DE", "BY", null],
  ])("%s / %s is subdivision %s", (country, region, code) => expect(subdivisionOf(country, region)).toBe(code));

  it.each([
    ["US", "XX", true],
    ["US", "California", true],
    ["US", "CA", false],
    ["US", "", false],
    ["US", "  ", false],
    ["US", undefined, false],
    ["GB", "Greater London", false],
  ])("%s / %s is an unknown region: %s", (country, region, unknown) => expect(unknownRegion(country, region)).toBe(unknown));
});
