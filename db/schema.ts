// Drizzle tables and indexes: the one description of what D1 stores.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_TOKEN_PURPOSES } from "../domain/account-tokens";
import { PRODUCT_STATUSES } from "../domain/catalog";
import { VARIANT_STATUSES } from "../domain/variants";
import { DISCOUNT_KINDS } from "../domain/discounts";
import { IMAGE_TYPES } from "../domain/images";
import { ORDER_STATUSES } from "../domain/order-status";
import { ACCOUNT_MAIL_KINDS, MAIL_KINDS } from "../domain/mail";
import { OUTBOX_KINDS, OUTBOX_STATUSES } from "../domain/outbox";
import { PAYMENT_STATUSES } from "../domain/payments";
import { ROLES } from "../domain/roles";
import { SHIPPING_RATE_KINDS } from "../domain/shipping";

/** D1's clock in epoch milliseconds, the default of every `created_at`. */
export const nowMs = () => sql<Date>`(unixepoch('subsec') * 1000)`;

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(nowMs());

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  // Stored normalised (trimmed, lower-case); the unique index is the lookup for login.
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ROLES }).notNull().default("customer"),
  // Proven by a link mailed to `email` (auth.verifyEmail). Accounts from before verification
  // existed stay false: nobody proved their address, and unverified accounts may still shop.
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
});

export type User = typeof users.$inferSelect;

// One row per refresh token ever issued. Rotation marks the old row revoked and points it at
// its successor, so presenting it again is recognisable as reuse and kills the whole family.
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    replacedBy: text("replaced_by"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    userAgent: text("user_agent"),
    ip: text("ip"),
    // Where the request that issued this token came from, by Cloudflare's `cf` data: shown in the
    // account's session list as an approximate place, never used to decide anything.
    city: text("city"),
    country: text("country"),
  },
  (t) => [index("sessions_family_idx").on(t.familyId), index("sessions_user_idx").on(t.userId)],
);

export type Session = typeof sessions.$inferSelect;

// Device tokens (domain/device-token.ts) are signed, not stored: an account voids the ones issued
// before `revoked_before` (sign out everywhere) by this row. A deleted account needs none: its
// address no longer names it, and a new account at the address trusts no token older than itself.
export const deviceRevocations = sqliteTable("device_revocations", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  revokedBefore: integer("revoked_before", { mode: "timestamp_ms" }).notNull(),
});

export const categories = sqliteTable("categories", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
});

// Searched through products_fts, an FTS5 index of active products' name and description kept in
// step by triggers (migrations/0002_products_fts.sql; drizzle-kit cannot describe it). Its rows are
// keyed by products' implicit rowid: never INSERT OR REPLACE a product (no delete trigger fires).
export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id),
    // A summary of the active variants (product_variants), kept in step by triggers
    // (migrations/0012_variant_summary.sql): the "from" price (the lowest), the highest, and the total
    // stock. Lists sort and filter on these through products' own indexes, never by reading variants.
    priceCents: integer("price_cents").notNull(),
    maxPriceCents: integer("max_price_cents").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    stock: integer("stock").notNull().default(0),
    status: text("status", { enum: PRODUCT_STATUSES }).notNull().default("active"),
    // Kept in step with reviews in the same batch, so sorting by rating can use an index.
    ratingCount: integer("rating_count").notNull().default(0),
    ratingSum: integer("rating_sum").notNull().default(0),
    ratingAvg: real("rating_avg").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // Stock can never go below zero: a checkout batch that would oversell fails whole here.
    check("products_stock_nonnegative", sql`${t.stock} >= 0`),
    check("products_price_nonnegative", sql`${t.priceCents} >= 0`),
    index("products_newest_idx").on(t.status, t.createdAt, t.id),
    index("products_price_idx").on(t.status, t.priceCents, t.id),
    index("products_rating_idx").on(t.status, t.ratingAvg, t.id),
    index("products_category_newest_idx").on(t.categoryId, t.status, t.createdAt, t.id),
    index("products_category_price_idx").on(t.categoryId, t.status, t.priceCents, t.id),
    index("products_category_rating_idx").on(t.categoryId, t.status, t.ratingAvg, t.id),
  ],
);

export type Product = typeof products.$inferSelect;

// A product's images, stored in R2 under `key`; `sha256` of the stored (stripped) bytes is both
// the URL's version and the ETag, so a URL's bytes never change and can be cached for a year.
export const productImages = sqliteTable(
  "product_images",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    key: text("key").notNull().unique(),
    contentType: text("content_type", { enum: IMAGE_TYPES }).notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    sha256: text("sha256").notNull(),
    alt: text("alt").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("product_images_product_idx").on(t.productId, t.position, t.id)],
);

export type ProductImage = typeof productImages.$inferSelect;

// A product's options (Size, Colour …), at most three, by position 0..2; `values` in display order.
export const productOptions = sqliteTable(
  "product_options",
  {
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    values: text("values", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.position] }), check("product_options_at_most_three", sql`${t.position} between 0 and 2`)],
);

export type ProductOption = typeof productOptions.$inferSelect;

// What is sold: one row per combination of option values that exists (a product without options
// has one default variant, all three values ""). Price and stock live here; products holds their
// summary. A default variant made by the migration has its product's id as its id.
export const productVariants = sqliteTable(
  "product_variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sku: text("sku").notNull().unique(),
    // The value of the product's option at position 0, 1, 2; "" where the product has no such option.
    option1: text("option1").notNull().default(""),
    option2: text("option2").notNull().default(""),
    option3: text("option3").notNull().default(""),
    priceCents: integer("price_cents").notNull(),
    stock: integer("stock").notNull().default(0),
    weightGrams: integer("weight_grams"),
    status: text("status", { enum: VARIANT_STATUSES }).notNull().default("active"),
    position: integer("position").notNull().default(0),
    // The image shown when this variant is chosen (one of the product's images), if any.
    imageId: text("image_id").references(() => productImages.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // Stock can never go below zero: a checkout batch that would oversell a variant fails whole here.
    check("product_variants_stock_nonnegative", sql`${t.stock} >= 0`),
    check("product_variants_price_nonnegative", sql`${t.priceCents} >= 0`),
    check("product_variants_weight_nonnegative", sql`${t.weightGrams} is null or ${t.weightGrams} >= 0`),
    uniqueIndex("product_variants_combination").on(t.productId, t.option1, t.option2, t.option3),
    index("product_variants_product_idx").on(t.productId, t.position, t.id),
  ],
);

export type ProductVariant = typeof productVariants.$inferSelect;

export const carts = sqliteTable("carts", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  discountCode: text("discount_code"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
});

export const cartLines = sqliteTable(
  "cart_lines",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    variantId: text("variant_id")
      .notNull()
      .references(() => productVariants.id),
    quantity: integer("quantity").notNull(),
    // The price when added, to warn the customer when it has changed since.
    addedPriceCents: integer("added_price_cents").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.variantId] }), check("cart_lines_quantity", sql`${t.quantity} between 1 and 99`)],
);

export const discounts = sqliteTable(
  "discounts",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull().unique(),
    kind: text("kind", { enum: DISCOUNT_KINDS }).notNull(),
    value: integer("value").notNull(),
    minSubtotalCents: integer("min_subtotal_cents"),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }),
    maxRedemptions: integer("max_redemptions"),
    redemptions: integer("redemptions").notNull().default(0),
    onePerCustomer: integer("one_per_customer", { mode: "boolean" }).notNull().default(false),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    // A redemption past the maximum fails the whole checkout batch here, whatever the races.
    check("discounts_within_max", sql`${t.maxRedemptions} is null or ${t.redemptions} <= ${t.maxRedemptions}`),
    index("discounts_created_idx").on(t.createdAt, t.id),
  ],
);

export type Discount = typeof discounts.$inferSelect;

export const discountRedemptions = sqliteTable(
  "discount_redemptions",
  {
    id: text("id").primaryKey(),
    discountId: text("discount_id")
      .notNull()
      .references(() => discounts.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orderId: text("order_id").notNull(),
    // Copied from the discount so a partial unique index can enforce one use per customer.
    onePerCustomer: integer("one_per_customer", { mode: "boolean" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("redemptions_one_per_customer")
      .on(t.discountId, t.userId)
      .where(sql`${t.onePerCustomer} = 1`),
    index("redemptions_user_idx").on(t.userId, t.discountId),
    index("redemptions_order_idx").on(t.orderId),
  ],
);

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    currency: text("currency").notNull().default("USD"),
    subtotalCents: integer("subtotal_cents").notNull(),
    discountCents: integer("discount_cents").notNull().default(0),
    shippingCents: integer("shipping_cents").notNull().default(0),
    totalCents: integer("total_cents").notNull(),
    discountCode: text("discount_code"),
    shippingAddress: text("shipping_address", { mode: "json" }).notNull(),
    // Tax as charged (domain/tax.ts): the lines' and shipping's; inclusive tax is already in the
    // prices, exclusive tax is part of total_cents. No foreign key on the option: an order keeps
    // what it was charged when the shop later removes an option.
    taxCents: integer("tax_cents").notNull().default(0),
    shippingTaxCents: integer("shipping_tax_cents").notNull().default(0),
    taxInclusive: integer("tax_inclusive", { mode: "boolean" }).notNull().default(false),
    shippingOptionId: text("shipping_option_id"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    check("orders_total_nonnegative", sql`${t.totalCents} >= 0`),
    index("orders_user_idx").on(t.userId, t.createdAt, t.id),
    index("orders_status_idx").on(t.status, t.createdAt, t.id),
    index("orders_created_idx").on(t.createdAt, t.id),
  ],
);

export type Order = typeof orders.$inferSelect;

// Every state an order entered, in order: the back office shows it as the order's history.
// Written in the same batch as the change itself, guarded by the same condition.
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    // Null for the order's creation.
    fromStatus: text("from_status", { enum: ORDER_STATUSES }),
    toStatus: text("to_status", { enum: ORDER_STATUSES }).notNull(),
    // Who made the change; null when the shop or the payment provider did.
    actorId: text("actor_id"),
    createdAt: createdAt(),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.createdAt)],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    variantId: text("variant_id")
      .notNull()
      .references(() => productVariants.id),
    name: text("name").notNull(),
    // Snapshots for receipts: the variant's option values ("M / Blue", "" for a default variant)
    // and SKU as they were when the order was placed.
    variantLabel: text("variant_label").notNull().default(""),
    sku: text("sku").notNull().default(""),
    unitPriceCents: integer("unit_price_cents").notNull(),
    quantity: integer("quantity").notNull(),
    taxCents: integer("tax_cents").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.variantId] }),
    index("order_lines_product_idx").on(t.productId, t.orderId),
    index("order_lines_variant_idx").on(t.variantId, t.orderId),
  ],
);

/**
 * How many paid orders held both products, stored in both directions: recommendations read one
 * product's partners from the index instead of joining every order line (db/co-purchases.ts
 * keeps it in step when an order becomes paid). No foreign keys: a count about products, not a
 * part of them.
 */
export const coPurchases = sqliteTable(
  "co_purchases",
  {
    productId: text("product_id").notNull(),
    otherId: text("other_id").notNull(),
    together: integer("together").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.otherId] }), index("co_purchases_rank_idx").on(t.productId, t.together, t.otherId)],
);

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    providerRef: text("provider_ref"),
    amountCents: integer("amount_cents").notNull(),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("payments_order_idx").on(t.orderId),
    index("payments_ref_idx").on(t.provider, t.providerRef),
    // Admins list orders by payment state (refunds that failed, disputes).
    index("payments_status_idx").on(t.status, t.orderId),
  ],
);

export type Payment = typeof payments.$inferSelect;

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    orderId: text("order_id").notNull(),
    /** SHA-256 of the canonical request (domain/checkout-fingerprint.ts); null on keys from before it. */
    fingerprint: text("fingerprint"),
    createdAt: createdAt(),
  },
  // The cron deletes keys older than a day by created_at.
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

// Side effects an order change owes, committed in the same batch as the change and then put on
// the queue (only the id travels). A row the Worker committed but never enqueued stays `pending`;
// the cron re-sends it.
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    /** When the cron last re-sent it; the request's own send is not recorded (no extra write). */
    enqueuedAt: integer("enqueued_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("outbox_status_idx").on(t.status, t.createdAt), index("outbox_order_idx").on(t.orderId)],
);

export type OutboxRow = typeof outbox.$inferSelect;

// The mails an outbox event owes, one row per mail: the key (the event's id, or event and admin
// for the admins' mails) is the primary key, so a message delivered twice records one mail, and
// `sent_at`, set by a guarded update before the send, lets one delivery send it (db/mail.ts).
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("notifications_unsent_idx").on(t.sentAt, t.createdAt), index("notifications_order_idx").on(t.orderId)],
);

// The links of e-mail verification, password reset and change of e-mail: only the token's hash,
// single use (`used_at`), and for a reset a fingerprint of the password it was issued under.
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The address the link was mailed to: the one it verifies, or the new one of a change. */
    email: text("email").notNull(),
    passwordFingerprint: text("password_fingerprint"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("account_tokens_user_idx").on(t.userId, t.purpose)],
);

// The account mails owed (verification, reset, password changed, address changed), committed with
// the change or request they belong to and sent through the outbox queue. `sent_at` is the claim
// (db/account-mails.ts), as for order mails: one mail per event however often it is delivered.
// A reset request's row names only the address asked for: the consumer looks the account up, so
// the request does the same work whether or not the address has one.
export const accountMails = sqliteTable(
  "account_mails",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ACCOUNT_MAIL_KINDS }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The recipient. */
    email: text("email").notNull(),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("account_mails_user_idx").on(t.userId), index("account_mails_unsent_idx").on(t.sentAt, t.createdAt)],
);

export const webhookEvents = sqliteTable("webhook_events", {
  id: text("id").primaryKey(),
  createdAt: createdAt(),
});

export const reviews = sqliteTable(
  "reviews",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: integer("rating").notNull(),
    body: text("body").notNull(),
    // No stored "verified purchase": it is whether the author's purchase stands when the review is
    // read (db/reviews.ts), since a purchase can be cancelled or refunded after the review.
    createdAt: createdAt(),
  },
  (t) => [
    check("reviews_rating_range", sql`${t.rating} between 1 and 5`),
    uniqueIndex("reviews_one_per_user").on(t.productId, t.userId),
    index("reviews_product_idx").on(t.productId, t.createdAt, t.id),
    index("reviews_user_idx").on(t.userId),
  ],
);

// Shipping zones (domain/shipping.ts): a zone ships to the countries listed for it; the one default
// zone ships to every country no zone lists. A country is in at most one zone (its primary key).
export const shippingZones = sqliteTable(
  "shipping_zones",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("shipping_zones_one_default")
      .on(t.isDefault)
      .where(sql`${t.isDefault} = 1`),
  ],
);

export const shippingZoneCountries = sqliteTable("shipping_zone_countries", {
  country: text("country").primaryKey(),
  zoneId: text("zone_id")
    .notNull()
    .references(() => shippingZones.id, { onDelete: "cascade" }),
});

export const shippingOptions = sqliteTable(
  "shipping_options",
  {
    id: text("id").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    rateKind: text("rate_kind", { enum: SHIPPING_RATE_KINDS }).notNull(),
    // The flat rate; unused for a rate by weight (its bands are in shipping_rate_bands).
    flatCents: integer("flat_cents").notNull().default(0),
    freeFromCents: integer("free_from_cents"),
    minDays: integer("min_days").notNull(),
    maxDays: integer("max_days").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    check("shipping_options_amounts", sql`${t.flatCents} >= 0 and (${t.freeFromCents} is null or ${t.freeFromCents} >= 0)`),
    check("shipping_options_days", sql`${t.minDays} >= 0 and ${t.maxDays} >= ${t.minDays}`),
    index("shipping_options_zone_idx").on(t.zoneId, t.position),
  ],
);

export const shippingRateBands = sqliteTable(
  "shipping_rate_bands",
  {
    optionId: text("option_id")
      .notNull()
      .references(() => shippingOptions.id, { onDelete: "cascade" }),
    upToGrams: integer("up_to_grams").notNull(),
    cents: integer("cents").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.optionId, t.upToGrams] }),
    check("shipping_rate_bands_values", sql`${t.upToGrams} >= 0 and ${t.cents} >= 0`),
  ],
);

// Tax rates by destination (domain/tax.ts): a country's rate (region '') or a subdivision's (a US
// state). No row: no tax. Rates are demo data in scripts/seed.ts, not tax advice.
export const taxRates = sqliteTable(
  "tax_rates",
  {
    country: text("country").notNull(),
    region: text("region").notNull().default(""),
    rateBasisPoints: integer("rate_basis_points").notNull(),
    inclusive: integer("inclusive", { mode: "boolean" }).notNull(),
    taxShipping: integer("tax_shipping", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.country, t.region] }), check("tax_rates_rate", sql`${t.rateBasisPoints} between 0 and 10000`)],
);
