import { describe, expect, it } from "vitest";
import { gridProblem, priceRange, storedValues, variantLabel } from "./variants";

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

describe("gridProblem", () => {
  const size = { name: "Size", values: ["S", "M"] };
  const colour = { name: "Colour", values: ["Red", "Blue"] };
  const v = (sku: string, ...optionValues: string[]) => ({ sku, optionValues });

  it("accepts a grid of existing combinations, and one default variant without options", () => {
    expect(gridProblem([size, colour], [v("A", "S", "Red"), v("B", "M", "Blue")])).toBeNull();
    expect(gridProblem([], [v("A")])).toBeNull();
  });

  it.each([
    [
      "four options",
      [size, colour, { name: "Fit", values: ["Slim"] }, { name: "Cut", values: ["V"] }],
      [v("A", "S", "Red", "Slim", "V")],
      /at most 3/,
    ],
    ["two options named alike", [size, { name: "size", values: ["X"] }], [v("A", "S", "X")], /same name/],
    ["an option without values", [{ name: "Size", values: [] }], [v("A", "S")], /no values/],
    ["a value twice", [{ name: "Size", values: ["S", "S"] }], [v("A", "S")], /twice/],
    ["no variant", [size], [], /at least one/],
    ["several variants without options", [], [v("A"), v("B")], /one variant/],
    ["a value missing", [size, colour], [v("A", "S")], /one value for each/],
    ["an unknown value", [size, colour], [v("A", "XL", "Red")], /"XL" is not a value of option "Size"/],
    ["a combination twice", [size, colour], [v("A", "S", "Red"), v("B", "S", "Red")], /Two variants are S \/ Red/],
    ["a SKU twice", [size, colour], [v("A", "S", "Red"), v("A", "M", "Red")], /SKU A/],
  ])("refuses %s", (_, options, variants, message) => expect(gridProblem(options, variants)).toMatch(message));
});

describe("storedValues", () => {
  it("pads to three positions", () => expect(storedValues(["M"])).toEqual(["M", "", ""]));
});
