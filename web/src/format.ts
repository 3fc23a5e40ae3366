// Money is integer minor units plus a currency code; dates are Date objects (superjson).
const formats = new Map<string, Intl.NumberFormat>();

export function money(cents: number, currency: string) {
  let format = formats.get(currency);
  if (!format) formats.set(currency, (format = new Intl.NumberFormat("en-US", { style: "currency", currency })));
  return format.format(cents / 100);
}

export const date = (value: Date) => value.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });

export const STOCK_LABEL = { in_stock: "In stock", low: "Only a few left", out: "Out of stock" } as const;
