// The catalog's shared vocabulary: whether a product is on sale, and how lists may be sorted.
export const PRODUCT_STATUSES = ["active", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const SORTS = ["newest", "price_asc", "price_desc", "rating"] as const;
export type Sort = (typeof SORTS)[number];
