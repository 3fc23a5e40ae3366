// The catalog's shared vocabulary: whether a product is on sale, and how lists may be sorted.
export const PRODUCT_STATUSES = ["active", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const SORTS = ["newest", "price_asc", "price_desc", "rating"] as const;
export type Sort = (typeof SORTS)[number];

/** A list's order: one of the sorts, or relevance to a search (best match first). */
export type ListOrder = Sort | "relevance";

/** A search without an explicit sort is ranked by relevance; any other list is newest first unless sorted. */
export const listOrder = (sort: Sort | undefined, searching: boolean): ListOrder => sort ?? (searching ? "relevance" : "newest");
