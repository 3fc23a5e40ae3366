// Demo shipping zones and tax rates, as idempotent SQL for the seed (and the tests that use them).
// The rates are demo data, not tax advice: a merchant configures their own (or a tax service).

interface DemoOption {
  id: string;
  name: string;
  flatCents?: number;
  bands?: readonly (readonly [upToGrams: number, cents: number])[];
  freeFromCents: number | null;
  days: readonly [min: number, max: number];
}

export const DEMO_ZONES: readonly { id: string; name: string; countries: readonly string[]; options: readonly DemoOption[] }[] = [
  {
    id: "eu",
    name: "European Union",
    countries: ["DE", "FR"],
    options: [
      { id: "eu-standard", name: "Standard", flatCents: 699, freeFromCents: 10_000, days: [3, 5] },
      {
        id: "eu-express",
        name: "Express",
        bands: [
          [2_000, 1_490],
          [10_000, 2_490],
        ],
        freeFromCents: null,
        days: [1, 2],
      },
    ],
  },
  {
    id: "uk",
    name: "United Kingdom",
    countries: ["GB"],
    options: [
      { id: "uk-standard", name: "Standard", flatCents: 399, freeFromCents: 5_000, days: [2, 4] },
      { id: "uk-express", name: "Next day", flatCents: 999, freeFromCents: null, days: [1, 1] },
    ],
  },
  {
    id: "us",
    name: "United States",
    countries: ["US"],
    options: [
      // The default zone's price, so the cart (priced before an address) matches a US order.
      { id: "us-standard", name: "Standard", flatCents: 499, freeFromCents: 5_000, days: [3, 6] },
      { id: "us-express", name: "Express", flatCents: 1_999, freeFromCents: null, days: [1, 2] },
    ],
  },
];

/** [country, region ('' for the whole country), basis points, inclusive, tax on shipping] */
export const DEMO_TAX_RATES: readonly (readonly [string, string, number, boolean, boolean])[] = [
  ["DE", "", 1_900, true, true],
  ["FR", "", 2_000, true, true],
  ["GB", "", 2_000, true, true],
  ["US", "CA", 725, false, false],
  ["US", "NY", 400, false, true],
  ["US", "OR", 0, false, false],
];

const literal = (v: string | number | boolean | null) =>
  v === null ? "NULL" : typeof v === "string" ? `'${v.replaceAll("'", "''")}'` : typeof v === "boolean" ? (v ? "1" : "0") : String(v);
const values = (...vs: (string | number | boolean | null)[]) => vs.map(literal).join(", ");

export function demoShippingSql(): string[] {
  const lines: string[] = [];
  for (const zone of DEMO_ZONES) {
    lines.push(`INSERT OR IGNORE INTO shipping_zones (id, name) VALUES (${values(zone.id, zone.name)});`);
    for (const country of zone.countries) {
      lines.push(`INSERT OR IGNORE INTO shipping_zone_countries (country, zone_id) VALUES (${values(country, zone.id)});`);
    }
    zone.options.forEach((o, position) => {
      lines.push(
        `INSERT OR IGNORE INTO shipping_options (id, zone_id, name, rate_kind, flat_cents, free_from_cents, min_days, max_days, position) VALUES (${values(
          o.id,
          zone.id,
          o.name,
          o.bands ? "weight" : "flat",
          o.flatCents ?? 0,
          o.freeFromCents,
          o.days[0],
          o.days[1],
          position,
        )});`,
      );
      for (const [upToGrams, cents] of o.bands ?? []) {
        lines.push(`INSERT OR IGNORE INTO shipping_rate_bands (option_id, up_to_grams, cents) VALUES (${values(o.id, upToGrams, cents)});`);
      }
    });
  }
  for (const [country, region, bp, inclusive, taxShipping] of DEMO_TAX_RATES) {
    lines.push(
      `INSERT OR IGNORE INTO tax_rates (country, region, rate_basis_points, inclusive, tax_shipping) VALUES (${values(country, region, bp, inclusive, taxShipping)});`,
    );
  }
  return lines;
}
