// Cart queries. Each mutation and the read of the resulting cart go to D1 as one batch, so a
// cart call costs one round trip. Raw statements: drizzle cannot batch an upsert from a select.
import type { Db } from "./client";

export const MAX_CART_LINES = 50;

export interface CartLineRow {
  productId: string;
  slug: string;
  name: string;
  quantity: number;
  addedPriceCents: number;
  unitPriceCents: number;
  currency: string;
  stock: number;
  status: "active" | "archived";
}

export interface CartDiscountRow {
  id: string;
  code: string;
  kind: "percent" | "fixed";
  value: number;
  minSubtotalCents: number | null;
  startsAt: number | null;
  endsAt: number | null;
  maxRedemptions: number | null;
  redemptions: number;
  onePerCustomer: number;
  active: number;
  usedByCustomer: number;
}

const DISCOUNT_COLUMNS = `d.id, d.code, d.kind, d.value, d.min_subtotal_cents as minSubtotalCents, d.starts_at as startsAt,
  d.ends_at as endsAt, d.max_redemptions as maxRedemptions, d.redemptions, d.one_per_customer as onePerCustomer, d.active,
  (select count(*) from discount_redemptions r where r.discount_id = d.id and r.user_id = ?1) as usedByCustomer`;

/** The statements that read a user's cart: its lines, then its discount (if any). */
export const readCartStatements = (d1: D1Database, userId: string) => [
  d1
    .prepare(
      `select cl.product_id as productId, p.slug, p.name, cl.quantity, cl.added_price_cents as addedPriceCents,
         p.price_cents as unitPriceCents, p.currency, p.stock, p.status
       from cart_lines cl join products p on p.id = cl.product_id
       where cl.user_id = ?1 order by cl.created_at, cl.product_id`,
    )
    .bind(userId),
  d1.prepare(`select ${DISCOUNT_COLUMNS} from carts c join discounts d on d.code = c.discount_code where c.user_id = ?1`).bind(userId),
];

/** Runs writes and then the cart read in one batch; returns the write results and the cart. */
async function writeThenReadCart(d1: D1Database, userId: string, writes: D1PreparedStatement[]) {
  const results = await d1.batch([...writes, ...readCartStatements(d1, userId)]);
  const [linesResult, discountResult] = results.slice(writes.length);
  return {
    writes: results.slice(0, writes.length),
    cart: {
      lines: (linesResult?.results ?? []) as unknown as CartLineRow[],
      discount: (discountResult?.results[0] as unknown as CartDiscountRow | undefined) ?? null,
    },
  };
}

export interface CartRows {
  lines: CartLineRow[];
  discount: CartDiscountRow | null;
}

export const readCart = async (db: Db, userId: string): Promise<CartRows> => (await writeThenReadCart(db.$client, userId, [])).cart;

/** Adds to a line; `added` is false when the product is not on sale or the cart is full. */
export async function addLine(db: Db, userId: string, productId: string, quantity: number) {
  const { writes, cart } = await writeThenReadCart(db.$client, userId, [
    ensureCartStatement(db.$client, userId),
    addLineStatement(db.$client, userId, productId, quantity),
  ]);
  return { added: (writes[1]?.meta.changes ?? 0) > 0, cart };
}

/** Sets a line's quantity; `changed` is false when the product is not in the cart. */
export async function setLineQuantity(db: Db, userId: string, productId: string, quantity: number) {
  const { writes, cart } = await writeThenReadCart(db.$client, userId, [setLineQuantityStatement(db.$client, userId, productId, quantity)]);
  return { changed: (writes[0]?.meta.changes ?? 0) > 0, cart };
}

export async function removeLine(db: Db, userId: string, productId: string): Promise<CartRows> {
  return (await writeThenReadCart(db.$client, userId, [removeLineStatement(db.$client, userId, productId)])).cart;
}

/** Applies (or with null, removes) the cart's discount code. */
export async function setCartDiscount(db: Db, userId: string, code: string | null, now: number): Promise<CartRows> {
  const writes = code === null ? [] : [ensureCartStatement(db.$client, userId)];
  return (await writeThenReadCart(db.$client, userId, [...writes, setCartDiscountStatement(db.$client, userId, code, now)])).cart;
}

/** The cart and the discount a code names (with this user's use of it), in one round trip. */
export async function readCartAndDiscount(db: Db, userId: string, code: string) {
  const [linesResult, , found] = await db.$client.batch([...readCartStatements(db.$client, userId), findDiscountForUserStatement(db.$client, userId, code)]);
  return {
    lines: (linesResult?.results ?? []) as unknown as CartLineRow[],
    discount: (found?.results[0] as unknown as CartDiscountRow | undefined) ?? null,
  };
}

const ensureCartStatement = (d1: D1Database, userId: string) =>
  d1.prepare("insert or ignore into carts (user_id) values (?1)").bind(userId);

/** Adds to a line (merging quantities) if the product is active and the cart has room. */
const addLineStatement = (d1: D1Database, userId: string, productId: string, quantity: number) =>
  d1
    .prepare(
      `insert into cart_lines (user_id, product_id, quantity, added_price_cents)
       select ?1, p.id, ?3, p.price_cents from products p
       where p.id = ?2 and p.status = 'active'
         and ((select count(*) from cart_lines where user_id = ?1) < ${MAX_CART_LINES}
              or exists (select 1 from cart_lines where user_id = ?1 and product_id = ?2))
       on conflict (user_id, product_id) do update set quantity = quantity + excluded.quantity`,
    )
    .bind(userId, productId, quantity);

const setLineQuantityStatement = (d1: D1Database, userId: string, productId: string, quantity: number) =>
  d1.prepare("update cart_lines set quantity = ?3 where user_id = ?1 and product_id = ?2").bind(userId, productId, quantity);

const removeLineStatement = (d1: D1Database, userId: string, productId: string) =>
  d1.prepare("delete from cart_lines where user_id = ?1 and product_id = ?2").bind(userId, productId);

const setCartDiscountStatement = (d1: D1Database, userId: string, code: string | null, now: number) =>
  d1.prepare("update carts set discount_code = ?2, updated_at = ?3 where user_id = ?1").bind(userId, code, now);

const findDiscountForUserStatement = (d1: D1Database, userId: string, code: string) =>
  d1.prepare(`select ${DISCOUNT_COLUMNS} from discounts d where d.code = ?2`).bind(userId, code);
