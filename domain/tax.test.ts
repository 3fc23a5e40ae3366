import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocate,
  divideHalfUp,
  exclusiveTax,
  inclusiveTax,
  isValidRule,
  MAX_RATE_BASIS_POINTS,
  NO_TAX,
  taxCart,
  taxOn,
  type TaxRule,
} from "./tax";

const VAT_DE: TaxRule = { rateBasisPoints: 1900, mode: "inclusive", taxShipping: true };
const SALES_CA: TaxRule = { rateBasisPoints: 725, mode: "exclusive", taxShipping: false };

const cents = fc.integer({ min: 0, max: 10_000_000 });
const rate = fc.integer({ min: 0, max: MAX_RATE_BASIS_POINTS });
const rule = fc.record({
  rateBasisPoints: rate,
  mode: fc.constantFrom("inclusive" as const, "exclusive" as const),
  taxShipping: fc.boolean(),
});

describe("rounding", () => {
  it.each([
    [5, 10, 1], // exactly half goes up
    [4, 10, 0],
    [6, 10, 1],
    [15, 10, 2],
    [14, 10, 1],
    [25, 10, 3], // half-up, not half-even (which would give 2)
    [0, 7, 0],
    [7, 7, 1],
    [3, 2, 2],
  ])("%i / %i rounds half-up to %i", (n, d, q) => expect(divideHalfUp(n, d)).toBe(q));

  it("is within half a unit of the exact quotient", () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 1, max: 1_000_000 }), (n, d) => {
        const q = divideHalfUp(n, d);
        expect(Math.abs(q * d - n) * 2).toBeLessThanOrEqual(d);
      }),
    );
  });
});

describe("exclusive tax (sales tax)", () => {
  it.each([
    [1000, 725, 73], // 72.5 rounds up
    [999, 725, 72], // 72.4275
    [2000, 400, 80],
    [1234, 0, 0],
    [200, 725, 15], // 14.5 rounds up
  ])("%i cents at %i bp adds %i", (net, bp, tax) => expect(exclusiveTax(net, bp)).toBe(tax));
});

describe("inclusive tax (VAT)", () => {
  it.each([
    [11900, 1900, 1900], // 100.00 + 19.00
    [1000, 1900, 160], // net 840.336… → 840
    [1200, 2000, 200],
    [999, 2000, 166], // net 832.5 → 833 (half-up): tax 166
    [1, 1900, 0],
    [0, 1900, 0],
  ])("%i cents gross at %i bp holds %i", (gross, bp, tax) => expect(inclusiveTax(gross, bp)).toBe(tax));

  it("splits a gross price into net + tax to the cent, the net rounded from gross / (1 + rate)", () => {
    fc.assert(
      fc.property(cents, rate, (gross, bp) => {
        const tax = inclusiveTax(gross, bp);
        const net = gross - tax;
        expect(net + tax).toBe(gross);
        // net is the rounded exact net: |net·(1+r) − gross| ≤ (1+r)/2 in units of 1/10000
        expect(Math.abs(net * (10_000 + bp) - gross * 10_000) * 2).toBeLessThanOrEqual(10_000 + bp);
        expect(tax).toBeGreaterThanOrEqual(0);
        expect(tax).toBeLessThanOrEqual(gross);
      }),
    );
  });

  it("holds less tax than the same rate added on top of the same amount", () => {
    fc.assert(
      fc.property(cents, rate, (amount, bp) => {
        expect(inclusiveTax(amount, bp)).toBeLessThanOrEqual(exclusiveTax(amount, bp));
      }),
    );
  });
});

describe("taxOn", () => {
  it("follows the rule's mode", () => {
    expect(taxOn(1000, VAT_DE)).toBe(160);
    expect(taxOn(1000, SALES_CA)).toBe(73);
    expect(taxOn(1000, NO_TAX)).toBe(0);
  });
});

describe("rule validity", () => {
  it.each([
    [{ ...SALES_CA, rateBasisPoints: 0 }, true],
    [{ ...SALES_CA, rateBasisPoints: MAX_RATE_BASIS_POINTS }, true],
    [{ ...SALES_CA, rateBasisPoints: MAX_RATE_BASIS_POINTS + 1 }, false],
    [{ ...SALES_CA, rateBasisPoints: -1 }, false],
    [{ ...SALES_CA, rateBasisPoints: 7.25 }, false],
  ])("%o is valid: %s", (r, ok) => expect(isValidRule(r)).toBe(ok));
});

describe("allocate (discount spread over lines)", () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]], // the left-over cent to the first of equal remainders
    [10, [300, 700], [3, 7]],
    [1, [1, 2], [0, 1]], // the larger remainder wins
    [0, [5, 5], [0, 0]],
    [5, [0, 0], [0, 0]], // nothing to spread over
    [7, [0, 10], [0, 7]],
    [2, [1, 1, 2], [1, 0, 1]], // remainders ½, ½, 0: the last line's floor of 1 leaves it none
    [2, [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], // equal remainders: earlier lines first
  ])("%i over %o gives %o", (total, weights, parts) => expect(allocate(total, weights)).toEqual(parts));

  it("sums to the total, never exceeds a line, and is proportional within a cent", () => {
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, f) => {
        const sum = weights.reduce((s, w) => s + w, 0);
        fc.pre(sum > 0);
        const total = Math.floor(sum * f);
        const parts = allocate(total, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        parts.forEach((p, i) => {
          const w = weights[i] ?? 0;
          expect(p).toBeLessThanOrEqual(w);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(Math.abs(p * sum - total * w)).toBeLessThan(sum);
        });
      }),
    );
  });
});

describe("taxCart", () => {
  it("taxes a German cart inclusive of VAT, shipping included", () => {
    const taxed = taxCart({ lineAmountsCents: [2500, 1190], discountCents: 0, shippingCents: 990, rule: VAT_DE });
    expect(taxed).toEqual({
      lines: [
        { discountCents: 0, taxableCents: 2500, taxCents: 399 }, // 2500 / 1.19 = 2100.84 → 2101
        { discountCents: 0, taxableCents: 1190, taxCents: 190 },
      ],
      shippingTaxCents: 158, // 990 / 1.19 = 831.93 → 832
      taxCents: 747,
      taxInclusive: true,
      totalCents: 4680,
    });
  });

  it("adds Californian sales tax on the discounted lines, not on shipping", () => {
    const taxed = taxCart({ lineAmountsCents: [3000, 1000], discountCents: 400, shippingCents: 499, rule: SALES_CA });
    expect(taxed).toEqual({
      lines: [
        { discountCents: 300, taxableCents: 2700, taxCents: 196 }, // 195.75
        { discountCents: 100, taxableCents: 900, taxCents: 65 }, // 65.25
      ],
      shippingTaxCents: 0,
      taxCents: 261,
      taxInclusive: false,
      totalCents: 3000 + 1000 - 400 + 499 + 261,
    });
  });

  it("taxes shipping under an exclusive rule that says so", () => {
    expect(
      taxCart({ lineAmountsCents: [], discountCents: 0, shippingCents: 1000, rule: { ...SALES_CA, taxShipping: true } }),
    ).toMatchObject({
      shippingTaxCents: 73,
      taxCents: 73,
      totalCents: 1073,
    });
  });

  it("charges nothing more where no tax is configured", () => {
    expect(taxCart({ lineAmountsCents: [1000, 250], discountCents: 50, shippingCents: 499, rule: NO_TAX })).toMatchObject({
      taxCents: 0,
      totalCents: 1699,
      taxInclusive: false,
    });
  });

  it("sums its lines' tax and shipping's tax to the total tax, and totals what the customer pays", () => {
    fc.assert(
      fc.property(
        fc.array(cents, { maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        cents,
        rule,
        (amounts, f, shipping, r) => {
          const subtotal = amounts.reduce((s, a) => s + a, 0);
          const discount = Math.floor(subtotal * f);
          const taxed = taxCart({ lineAmountsCents: amounts, discountCents: discount, shippingCents: shipping, rule: r });
          expect(taxed.lines.reduce((s, l) => s + l.taxCents, 0) + taxed.shippingTaxCents).toBe(taxed.taxCents);
          expect(taxed.lines.reduce((s, l) => s + l.discountCents, 0)).toBe(subtotal === 0 ? 0 : discount);
          taxed.lines.forEach((l, i) => {
            expect(l.taxableCents).toBe((amounts[i] ?? 0) - l.discountCents);
            expect(l.taxCents).toBe(taxOn(l.taxableCents, r));
          });
          expect(taxed.shippingTaxCents).toBe(r.taxShipping ? taxOn(shipping, r) : 0);
          const beforeTax = subtotal - discount + shipping;
          expect(taxed.totalCents).toBe(r.mode === "inclusive" ? beforeTax : beforeTax + taxed.taxCents);
          expect(taxed.taxInclusive).toBe(r.mode === "inclusive");
        },
      ),
    );
  });
});
