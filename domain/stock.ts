// What a customer is told about stock: never the exact count.
export const STOCK_STATUSES = ["in_stock", "low", "out"] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export const stockStatus = (stock: number, lowThreshold: number): StockStatus =>
  stock <= 0 ? "out" : stock <= lowThreshold ? "low" : "in_stock";

/**
 * What a short-stock warning may say: the status, and the quantity that can be ordered only when
 * the product is already shown as "low". Within the low band the number is small, the product
 * view has already said "only a few left", and it is the one thing the customer can act on
 * ("lower it to 3"). Above the band any number would be the count itself (what product views
 * deliberately hide, and what a competitor scraping carts wants) or an invented cap that
 * misstates what can be bought, so the warning says only "not that many".
 * A caller can still narrow the count by trying quantities (a line holds at most 99); the
 * checkout's own refusal tells as much, so that is accepted.
 */
export function shortStock(stock: number, lowThreshold: number): { stockStatus: StockStatus; maxQuantity?: number } {
  const status = stockStatus(stock, lowThreshold);
  return status === "low" ? { stockStatus: status, maxQuantity: stock } : { stockStatus: status };
}
