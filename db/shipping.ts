// Shipping options and tax rates for a destination: the statements cart and checkout batch with their own.
import { asc, eq, sql } from "drizzle-orm";
import type { ShippingOption, WeightBand } from "../domain/shipping";
import type { Db } from "./client";
import { compiled, runBatch, type BoundResult } from "./compiled";
import { shippingOptions, shippingRateBands, shippingZoneCountries, shippingZones, taxRates } from "./schema";

const countryParam = sql.placeholder("country");

// The zone listing the country, else the default zone; a null country (no destination yet) gets
// the default zone.
const zoneOfCountry = (db: Db) =>
  sql`coalesce((${db.select({ id: shippingZoneCountries.zoneId }).from(shippingZoneCountries).where(eq(shippingZoneCountries.country, countryParam))}), (${db
    .select({ id: shippingZones.id })
    .from(shippingZones)
    .where(eq(shippingZones.isDefault, true))}))`;

/** The options of the zone that ships to a country, one row per weight band (none for a flat rate). */
const zoneOptionsCompiled = compiled((db) =>
  db
    .select({
      optionId: shippingOptions.id,
      zoneId: shippingOptions.zoneId,
      optionName: shippingOptions.name,
      rateKind: shippingOptions.rateKind,
      flatCents: shippingOptions.flatCents,
      freeFromCents: shippingOptions.freeFromCents,
      minDays: shippingOptions.minDays,
      maxDays: shippingOptions.maxDays,
      upToGrams: shippingRateBands.upToGrams,
      bandCents: shippingRateBands.cents,
    })
    .from(shippingOptions)
    .leftJoin(shippingRateBands, eq(shippingRateBands.optionId, shippingOptions.id))
    .where(eq(shippingOptions.zoneId, zoneOfCountry(db)))
    .orderBy(asc(shippingOptions.position), asc(shippingOptions.id), asc(shippingRateBands.upToGrams))
    .prepare(),
);
export const zoneOptionsQuery = (db: Db, country: string | null) => zoneOptionsCompiled(db, { country });

/** Every tax rate set for a country: its own (region '') and its subdivisions'. */
const countryTaxRatesCompiled = compiled((db) =>
  db
    .select({
      region: taxRates.region,
      rateBasisPoints: taxRates.rateBasisPoints,
      inclusive: taxRates.inclusive,
      taxShipping: taxRates.taxShipping,
    })
    .from(taxRates)
    .where(eq(taxRates.country, countryParam))
    .prepare(),
);
export const countryTaxRatesQuery = (db: Db, country: string | null) => countryTaxRatesCompiled(db, { country });

export type ZoneOptionRow = BoundResult<ReturnType<typeof zoneOptionsQuery>>[number];
export type TaxRateRow = BoundResult<ReturnType<typeof countryTaxRatesQuery>>[number];

/** The zone's options from their rows (one per band), in the rows' order. */
export function toShippingOptions(rows: readonly ZoneOptionRow[]): ShippingOption[] {
  const byId = new Map<string, { row: ZoneOptionRow; bands: WeightBand[] }>();
  for (const row of rows) {
    const entry = byId.get(row.optionId) ?? { row, bands: [] };
    byId.set(row.optionId, entry);
    if (row.upToGrams !== null && row.bandCents !== null) entry.bands.push({ upToGrams: row.upToGrams, cents: row.bandCents });
  }
  return [...byId.values()].map(({ row, bands }) => ({
    id: row.optionId,
    zoneId: row.zoneId,
    name: row.optionName,
    rate: row.rateKind === "weight" ? { kind: "weight", bands } : { kind: "flat", cents: row.flatCents },
    freeFromCents: row.freeFromCents,
    minDays: row.minDays,
    maxDays: row.maxDays,
  }));
}

/** What a destination needs priced: its zone's options and its country's tax rates, in one round trip. */
export async function readDestination(db: Db, country: string | null) {
  const [options, rates] = await runBatch(db, [zoneOptionsQuery(db, country), countryTaxRatesQuery(db, country)]);
  return { options: toShippingOptions(options), taxRates: rates };
}
