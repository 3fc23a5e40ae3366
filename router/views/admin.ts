// What administrators see of products and discounts.
import * as z from "zod";
import { PRODUCT_STATUSES } from "../../domain/catalog";
import { DISCOUNT_KINDS } from "../../domain/discounts";
import type { Product } from "../../db/schema";

export const AdminProduct = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  categoryId: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  status: z.enum(PRODUCT_STATUSES),
  createdAt: z.date(),
  updatedAt: z.date().nullable(),
});

export const toAdminProduct = (p: Product): z.infer<typeof AdminProduct> => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  categoryId: p.categoryId,
  priceCents: p.priceCents,
  currency: p.currency,
  stock: p.stock,
  status: p.status,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const DiscountView = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(DISCOUNT_KINDS),
  value: z.number().int(),
  minSubtotalCents: z.number().int().nullable(),
  startsAt: z.date().nullable(),
  endsAt: z.date().nullable(),
  maxRedemptions: z.number().int().nullable(),
  redemptions: z.number().int(),
  onePerCustomer: z.boolean(),
  active: z.boolean(),
  createdAt: z.date(),
});
