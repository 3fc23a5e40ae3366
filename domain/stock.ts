// What a customer is told about stock: never the exact count.
export const STOCK_STATUSES = ["in_stock", "low", "out"] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

export const stockStatus = (stock: number, lowThreshold: number): StockStatus =>
  stock <= 0 ? "out" : stock <= lowThreshold ? "low" : "in_stock";
