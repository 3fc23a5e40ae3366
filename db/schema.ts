// Drizzle tables and indexes: the one description of what D1 stores.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_TOKEN_PURPOSES } from "../domain/account-tokens";
import { PRODUCT_STATUSES } from "../domain/catalog";
import { DISCOUNT_KINDS } from "../domain/discounts";
import { IMAGE_TYPES } from "../domain/images";
import { ORDER_STATUSES } from "../domain/order-status";
import { ACCOUNT_MAIL_KINDS, MAIL_KINDS } from "../domain/mail";
import { OUTBOX_KINDS, OUTBOX_STATUSES } from "../domain/outbox";
import { PAYMENT_STATUSES } from "../domain/payments";
import { ROLES } from "../domain/roles";

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
  // A password reset revokes every device cookie issued before it (domain/device-token.ts).
  devicesRevokedAt: integer("devices_revoked_at", { mode: "timestamp_ms" }),
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
  },
  (t) => [index("sessions_family_idx").on(t.familyId), index("sessions_user_idx").on(t.userId)],
);

export type Session = typeof sessions.$inferSelect;

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
    priceCents: integer("price_cents").notNull(),
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
    quantity: integer("quantity").notNull(),
    // The price when added, to warn the customer when it has changed since.
    addedPriceCents: integer("added_price_cents").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId] }), check("cart_lines_quantity", sql`${t.quantity} between 1 and 99`)],
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
    name: text("name").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] }), index("order_lines_product_idx").on(t.productId, t.orderId)],
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
