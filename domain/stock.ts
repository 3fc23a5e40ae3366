// What a customer is told about stock: never the exact count.
export type StockStatus = "in_stock" | "low" | "out";

export const stockStatus = (stock: number, lowThreshold: number): StockStatus =>
  stock <= 0 ? "out" : stock <= lowThreshold ? "low" : "in_stock";
