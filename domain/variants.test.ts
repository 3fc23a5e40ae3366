import { describe, expect, it } from "vitest";
import { priceRange, variantLabel } from "./variants";

describe("variantLabel", () => {
  it.each([
    [["M", "Blue", ""], "M / Blue"],
    [["S", "", ""], "S"],
    [["", "", ""], ""],
    [["L", "Red", "Cotton"], "L / Red / Cotton"],
  ])("%j is %j", (values, label) => expect(variantLabel(values)).toBe(label));
});

describe("priceRange", () => {
  it("is the lowest and the highest price", () => expect(priceRange([1300, 1000, 1200])).toEqual({ minCents: 1000, maxCents: 1300 }));
  it("is one price for one variant", () => expect(priceRange([500])).toEqual({ minCents: 500, maxCents: 500 }));
  it("is null for none", () => expect(priceRange([])).toBeNull());
});
