// The checkout saga: price the cart server-side, reserve stock and discount atomically, charge,
// then settle (or release everything the reservation took). Each step is one D1 batch.
import { checkoutFingerprint, type CheckoutRequest } from "../domain/checkout-fingerprint";
import { DISCOUNT_REFUSAL_MESSAGE } from "../domain/discounts";
import { isCheckViolation, isUniqueViolation } from "../db/client";
import type { OrderStatus } from "../domain/order-status";
import {
  awaitCustomerAction,
  findIdempotentOrder,
  findOrderWithLines,
  readCheckoutStart,
  release,
  reserve,
  settlePaid,
  type IdempotentOrder,
  type OrderAndLines,
  type Reservation,
} from "../db/orders";
import type { Payment } from "../db/schema";
import type { AppConfig } from "../lib/config";
import { span } from "../lib/trace";
import { priceCartRows } from "./cart-pricing";
import { enqueueOutbox } from "./outbox";
import { publishOrderUpdate } from "./order-updates";
import { refuse } from "../domain/refusals";
import type { Deps } from "./deps";

/** Feeds wake live subscribers after the order is paid; without them nobody is woken. */
export type CheckoutDeps = Pick<Deps, "db" | "payments" | "log" | "outbox" | "now"> & Partial<Pick<Deps, "feeds">> & { config: AppConfig };

export interface PlaceOrderInput {
  idempotencyKey: string;
  shippingAddress: Readonly<Record<string, string | undefined>> & { country: string; region?: string | undefined };
  paymentToken: string;
  /** The shipping option chosen; none: the cheapest that applies (clients from before options). */
  shippingOptionId?: string | undefined;
}

const keyReused = () =>
  refuse(
    "unprocessable",
    "This idempotency key was used for a different order (cart, total or address); use a new key for a new order.",
    "idempotency_key_reused",
  );

/**
 * The order a key already made, if the request is the one that made it: the same fingerprint. A
 * retry after the order went through finds the cart emptied, so an empty cart is compared as the
 * order's own lines and discount with this request's address and shipping option (none named:
 * the order's own, as the cheapest was what a request without one got).
 */
async function existingOrder(
  deps: CheckoutDeps,
  previous: IdempotentOrder,
  request: CheckoutRequest | null,
  input: Pick<PlaceOrderInput, "shippingAddress" | "shippingOptionId">,
): Promise<OrderAndLines> {
  const order = await findOrderWithLines(deps.db, previous.orderId);
  if (!order) throw refuse("conflict", "This checkout is still being processed; retry in a moment.", "conflict");
  if (previous.fingerprint !== null) {
    const asMade = request ?? {
      lines: order.lines,
      discountCode: order.discountCode,
      currency: order.currency,
      shippingAddress: input.shippingAddress,
      shippingOptionId: input.shippingOptionId ?? order.shippingOptionId,
    };
    if ((await checkoutFingerprint(asMade)) !== previous.fingerprint) throw keyReused();
  }
  return order;
}

/**
 * Why no shipping option is charged: the address's country is in no zone (or its zone's options
 * all refuse this cart), or the option asked for is not one this address and cart can have (an
 * option of another zone, say).
 */
function shippingRefusal(zoneHasOptions: boolean, requestedId: string | undefined) {
  if (zoneHasOptions && requestedId !== undefined) {
    return refuse(
      "rejected_input",
      "This shipping option is not available for this address; choose one of cart.shippingOptions.",
      "shipping_option_unavailable",
    );
  }
  return refuse("precondition", "We do not ship to this address; nothing was reserved or charged.", "no_shipping_to_address");
}

type Prepared =
  | { previous: IdempotentOrder; request: CheckoutRequest | null; reservation: null }
  | { previous: null; request: CheckoutRequest; reservation: Reservation };

/** Prices the cart and builds the reservation, or refuses with the reason the cart cannot be bought. */
async function prepare(deps: CheckoutDeps, userId: string, input: PlaceOrderInput): Promise<Prepared> {
  // One round trip: a previous order under this key, the cart and its discount.
  const { country, region } = input.shippingAddress;
  const { previous, cart } = await readCheckoutStart(deps.db, userId, input.idempotencyKey, country);
  const createdAt = deps.now();
  const priced = priceCartRows(cart, deps.config, new Date(createdAt), {
    country,
    region,
    shippingOptionId: input.shippingOptionId,
    requireRegion: true,
  });
  // The code the cart asks for, not whether it still applies: the order this key made redeemed it,
  // so an in-flight retry of the same request would find a one-per-customer code already used.
  const request: CheckoutRequest = {
    lines: priced.lines,
    discountCode: cart.discount?.code ?? null,
    currency: deps.config.currency,
    shippingAddress: input.shippingAddress,
    shippingOptionId: priced.shippingOptionId,
  };
  if (previous) return { previous, request: cart.lines.length > 0 ? request : null, reservation: null };
  if (cart.lines.length === 0) throw refuse("precondition", "Your cart is empty.", "empty_cart");
  if (!priced.purchasable) throw refuse("precondition", "Some items in your cart are out of stock or unavailable.", "out_of_stock");
  const removed = priced.warnings.find((w) => w.kind === "discount_removed");
  if (removed) throw refuse("precondition", DISCOUNT_REFUSAL_MESSAGE[removed.reason], removed.reason);
  if (priced.shippingOptionId === null) throw shippingRefusal(cart.destination.options.length > 0, input.shippingOptionId);
  const { discount } = cart;
  const reservation: Reservation = {
    orderId: crypto.randomUUID(),
    userId,
    idempotencyKey: input.idempotencyKey,
    currency: deps.config.currency,
    subtotalCents: priced.subtotalCents,
    discountCents: priced.discountCents,
    shippingCents: priced.shippingCents,
    taxCents: priced.taxCents,
    shippingTaxCents: priced.shippingTaxCents,
    taxInclusive: priced.taxInclusive,
    shippingOptionId: priced.shippingOptionId,
    totalCents: priced.totalCents,
    discount: discount && priced.appliedCode ? { id: discount.id, code: discount.code, onePerCustomer: discount.onePerCustomer } : null,
    shippingAddress: input.shippingAddress,
    lines: priced.lines.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      name: l.name,
      variantLabel: l.variantLabel,
      sku: l.sku,
      unitPriceCents: l.unitPriceCents,
      quantity: l.quantity,
      taxCents: l.taxCents,
    })),
    createdAt,
    fingerprint: await checkoutFingerprint(request),
  };
  return { previous: null, request, reservation };
}

/** Reserves; a lost race on the idempotency key answers with the winner's key. */
async function reserveOrRefuse(deps: CheckoutDeps, reservation: Reservation): Promise<IdempotentOrder | null> {
  try {
    await reserve(deps.db, reservation);
    return null;
  } catch (error) {
    if (isUniqueViolation(error, "idempotency_keys")) {
      const winner = await findIdempotentOrder(deps.db, reservation.userId, reservation.idempotencyKey);
      if (winner) return winner;
    }
    if (isCheckViolation(error, "product_variants_stock_nonnegative") || isCheckViolation(error, "products_stock_nonnegative")) {
      throw refuse("precondition", "Some items sold out while you were checking out.", "out_of_stock");
    }
    if (isCheckViolation(error, "discounts_within_max")) throw refuse("precondition", DISCOUNT_REFUSAL_MESSAGE.used_up, "used_up");
    if (isUniqueViolation(error, "discount_redemptions")) {
      throw refuse("precondition", DISCOUNT_REFUSAL_MESSAGE.already_used, "already_used");
    }
    throw error;
  }
}

/** Places the order for the user's cart; the same idempotency key returns the same order. */
/**
 * What the frontend needs to finish a payment the provider could not complete alone (3-D Secure):
 * with Stripe, Stripe.js `handleNextAction({ clientSecret })`; with the test provider, its confirm
 * step (worker/test-payments). Null once nothing is left to do.
 */
export type NextAction = { type: "confirm_payment"; provider: string; clientSecret: string };
export type PlacedOrder = OrderAndLines & { nextAction: NextAction | null };

export async function placeOrder(deps: CheckoutDeps, userId: string, input: PlaceOrderInput): Promise<PlacedOrder> {
  // Before anything is reserved: a deployment without a usable provider takes no orders at all.
  const { payments } = deps.config;
  if (payments.provider === "unconfigured") {
    deps.log.error("payment.not_configured", { problem: payments.problem });
    throw refuse("unavailable", "This shop cannot take payments right now; nothing was charged.", "payments_not_configured");
  }
  // A replay answers the order as it stands; a client secret is handed out once, by the call
  // that created the payment.
  // Each step is a named span in Workers traces (checkout.price, .reserve, .charge, .settle).
  const prepared = await span("checkout.price", () => prepare(deps, userId, input));
  if (!prepared.reservation) {
    return { ...(await existingOrder(deps, prepared.previous, prepared.request, input)), nextAction: null };
  }
  const { reservation, request } = prepared;

  const winner = await span("checkout.reserve", () => reserveOrRefuse(deps, reservation), { "order.id": reservation.orderId });
  if (winner) return { ...(await existingOrder(deps, winner, request, input)), nextAction: null };

  const charge = await span(
    "checkout.charge",
    () =>
      deps.payments
        .charge({
          orderId: reservation.orderId,
          amountCents: reservation.totalCents,
          currency: reservation.currency,
          token: input.paymentToken,
          idempotencyKey: reservation.orderId,
        })
        .catch((error: unknown) => ({ outcome: "error" as const, reason: String(error) })),
    { "order.id": reservation.orderId, "payment.provider": deps.payments.name },
  );

  if (charge.outcome === "requires_action") {
    // 3-D Secure: the order stays pending with its stock; the frontend finishes with the client
    // secret and the provider's webhook settles (or releases) it.
    const at = deps.now();
    const payment = await awaitCustomerAction(deps.db, reservation, { provider: deps.payments.name, providerRef: charge.providerRef, at });
    return {
      ...placedOrder(reservation, "pending", at, payment),
      nextAction: { type: "confirm_payment", provider: deps.payments.name, clientSecret: charge.clientSecret },
    };
  }

  if (charge.outcome !== "succeeded") {
    await span("checkout.release", () => release(deps.db, reservation), {
      "order.id": reservation.orderId,
      "payment.outcome": charge.outcome,
    });
    if (charge.outcome === "declined") throw refuse("precondition", charge.reason, "payment_declined");
    deps.log.error("payment.provider_failed", { orderId: reservation.orderId, outcome: charge.outcome, reason: charge.reason });
    throw refuse(
      "precondition",
      "The payment provider is unavailable; you have not been charged. Try again shortly.",
      "payment_unavailable",
    );
  }

  const paidAt = deps.now();
  const { payment, outbox } = await span(
    "checkout.settle",
    () => settlePaid(deps.db, reservation, { provider: deps.payments.name, providerRef: charge.providerRef, paidAt }),
    { "order.id": reservation.orderId },
  );
  await enqueueOutbox(deps, outbox);
  await publishOrderUpdate(deps, reservation.orderId);
  return { ...placedOrder(reservation, "paid", paidAt, payment), nextAction: null };
}

/** The order a reservation became, as the checkout answers it without reading it back. */
const placedOrder = (r: Reservation, status: OrderStatus, updatedAt: number, payment: Payment): OrderAndLines => ({
  id: r.orderId,
  userId: r.userId,
  status,
  currency: r.currency,
  subtotalCents: r.subtotalCents,
  discountCents: r.discountCents,
  shippingCents: r.shippingCents,
  taxCents: r.taxCents,
  shippingTaxCents: r.shippingTaxCents,
  taxInclusive: r.taxInclusive,
  shippingOptionId: r.shippingOptionId,
  totalCents: r.totalCents,
  discountCode: r.discount?.code ?? null,
  shippingAddress: r.shippingAddress,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(updatedAt),
  lines: r.lines.map((l) => ({ ...l, orderId: r.orderId })),
  payment,
});
