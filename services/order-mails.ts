// Sending the mails an outbox event owes (the customer's order mails, the admins' refund-failed
// mail), each at most once per event and recipient however often the consumer is retried.
import * as z from "zod";
import { isTombstoneEmail } from "../domain/account";
import { orderMail, refundFailedMail, type MailKind, type MailMessage, type MailOrder, type ShopIdentity } from "../domain/mail";
import type { NotificationKind } from "../domain/outbox";
import type { PaymentStatus } from "../domain/payments";
import type { Db } from "../db/client";
import { claimMail, orderForMail, releaseMail, shopAdmins } from "../db/mail";
import type { Logger } from "../lib/log";
import type { Mailer } from "./mail";

export interface MailDeps {
  db: Db;
  mail: Mailer;
  shop: ShopIdentity;
  log: Logger;
}

// The address was validated by checkout (router/views/order.ts) before it was stored; this only
// gives the stored JSON a type, and fails loudly on a row that somehow is not one.
const StoredAddress = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string(),
});

type Loaded = NonNullable<Awaited<ReturnType<typeof orderForMail>>>;

const REFUNDING: readonly string[] = ["refund_pending", "refunded", "refund_failed"] satisfies PaymentStatus[];

const mailOrder = ({ order }: Loaded): MailOrder => ({
  ...order,
  shippingAddress: StoredAddress.parse(order.shippingAddress),
  // Only a payment that succeeded is refunded on cancellation (db/orders.ts: transition).
  refunding: order.payment !== null && REFUNDING.includes(order.payment.status),
});

/**
 * Claims the mail, then sends it. At most once: the claim (`sent_at` set by a guarded update)
 * commits before the send, so a delivery that crashes or loses its ack after sending finds it
 * claimed and sends nothing. The price: a Worker that dies between the claim and the send loses
 * that mail (it stays claimed, unsent). A send the sender refuses (it threw) gives the claim back
 * and rethrows, so the queue retries it; if such a refusal came after the mail had in fact gone,
 * the retry would send it twice, the one case where a duplicate is possible.
 */
async function sendOnce(
  deps: MailDeps,
  mail: { key: string; userId: string; orderId: string; kind: MailKind },
  at: Date,
  // Rendered before the claim: a template that refuses (a header with a line break) claims nothing.
  rendered: MailMessage,
): Promise<void> {
  if (!(await claimMail(deps.db, mail, at))) {
    deps.log.info("mail.already_sent", { key: mail.key, kind: mail.kind });
    return;
  }
  try {
    const { messageId } = await deps.mail.send(rendered);
    deps.log.info("mail.sent", { key: mail.key, kind: mail.kind, orderId: mail.orderId, messageId });
  } catch (error) {
    await releaseMail(deps.db, mail.key, at);
    throw error;
  }
}

/** The customer's mail for an order event (the outbox row's id is the event's key). */
export async function sendOrderMail(
  deps: MailDeps,
  event: { id: string; kind: NotificationKind; orderId: string },
  at: Date,
): Promise<void> {
  const loaded = await orderForMail(deps.db, event.orderId);
  // The order was deleted since, or its customer deleted their account: nobody to write to.
  if (!loaded || isTombstoneEmail(loaded.customer.email)) return;
  const order = mailOrder(loaded);
  await sendOnce(
    deps,
    { key: event.id, userId: loaded.customer.id, orderId: event.orderId, kind: event.kind },
    at,
    orderMail(event.kind, deps.shop, loaded.customer, order),
  );
}

/** The admins' mail about a refund that failed for good: one per admin for the refund's event. */
export async function sendRefundFailedMails(
  deps: MailDeps,
  event: { id: string; orderId: string },
  reason: string,
  at: Date,
): Promise<void> {
  const loaded = await orderForMail(deps.db, event.orderId);
  if (!loaded) return;
  const order = mailOrder(loaded);
  for (const admin of await shopAdmins(deps.db)) {
    await sendOnce(
      deps,
      { key: `${event.id}:${admin.id}`, userId: admin.id, orderId: event.orderId, kind: "refund.failed" },
      at,
      refundFailedMail(deps.shop, admin, order, reason),
    );
  }
}
