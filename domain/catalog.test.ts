import { describe, expect, it } from "vitest";
import { listOrder } from "./catalog";

describe("list order", () => {
  it("ranks a search by relevance and any other list newest first, unless a sort is asked for", () => {
    expect(listOrder(undefined, true)).toBe("relevance");
    expect(listOrder(undefined, false)).toBe("newest");
    expect(listOrder("price_asc", true)).toBe("price_asc");
    expect(listOrder("rating", false)).toBe("rating");
  });
});
