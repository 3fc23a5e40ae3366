// Which tax rule applies to a destination: the TaxProvider interface and its table-based default.
import { subdivisionOf, taxedBySubdivision, unknownRegion } from "../domain/regions";
import { NO_TAX, type TaxRule } from "../domain/tax";
import type { TaxRateRow } from "../db/shipping";

/** Where the order goes, with the rates the shop's tables hold for its country. */
export interface TaxDestination {
  country: string;
  region: string | undefined;
  rates: readonly TaxRateRow[];
}

/**
 * Decides the tax rule for a destination. "unknown_region": the country is taxed per subdivision
 * and the address names none we know (or, at checkout, none at all where the shop has rates per
 * subdivision), so tax cannot be decided.
 */
export interface TaxProvider {
  readonly name: string;
  ruleFor(destination: TaxDestination, options: { requireRegion: boolean }): TaxRule | "unknown_region";
}

const toRule = (row: TaxRateRow): TaxRule => ({
  rateBasisPoints: row.rateBasisPoints,
  mode: row.inclusive ? "inclusive" : "exclusive",
  taxShipping: row.taxShipping,
});

/** The rates in tax_rates: a subdivision's row, else the country's, else no tax. */
export const tableTaxProvider: TaxProvider = {
  name: "table",
  ruleFor({ country, region, rates }, { requireRegion }) {
    if (unknownRegion(country, region)) return "unknown_region";
    const subdivision = subdivisionOf(country, region);
    const perSubdivision = taxedBySubdivision(country) && rates.some((r) => r.region !== "");
    if (requireRegion && perSubdivision && subdivision === null) return "unknown_region";
    const row = rates.find((r) => subdivision !== null && r.region === subdivision) ?? rates.find((r) => r.region === "");
    return row ? toRule(row) : NO_TAX;
  },
};
