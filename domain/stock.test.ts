import { describe, expect, it } from "vitest";
import { shortStock, stockStatus } from "./stock";

describe("stock status", () => {
  it.each([
    [-1, "out"],
    [0, "out"],
    [1, "low"],
    [5, "low"],
    [6, "in_stock"],
  ] as const)("%i units → %s", (stock, status) => expect(stockStatus(stock, 5)).toBe(status));

  it("tells a short-stock warning a quantity only within the low band", () => {
    expect(shortStock(0, 5)).toEqual({ stockStatus: "out" });
    expect(shortStock(-2, 5)).toEqual({ stockStatus: "out" });
    expect(shortStock(1, 5)).toEqual({ stockStatus: "low", maxQuantity: 1 });
    expect(shortStock(5, 5)).toEqual({ stockStatus: "low", maxQuantity: 5 });
    expect(shortStock(6, 5)).toEqual({ stockStatus: "in_stock" });
    expect(shortStock(20, 5)).toEqual({ stockStatus: "in_stock" });
  });
});
