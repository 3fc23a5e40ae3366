// The outbox queue's consumers: refunds through the payment provider with retries and backoff,
// the order mails sent at most once per event (services/order-mails.ts), and the dead-letter
// queue that marks what never got through.
import * as z from "zod";
import { isLastAttempt, NOTIFICATION_KINDS, refundIdempotencyKey, retryDelaySeconds, type NotificationKind } from "../domain/outbox";
import type { RefundResult } from "../domain/payments";
import { claimOutboxRow, recordAttemptFailed, recordDeadLetter, recordDone, recordRefunded, recordRefundFailed } from "../db/outbox";
import type { OutboxRow } from "../db/schema";
import type { ShopIdentity } from "../domain/mail";
import { sendAccountMail } from "./account-recovery";
import type { Deps } from "./deps";
import { sendOrderMail, sendRefundFailedMails } from "./order-mails";

/** The shop's name, address and sender, and the web app's origin (lib/config.ts), for the mails. */
export type ConsumerDeps = Pick<Deps, "db" | "payments" | "mail" | "log" | "now"> & { shop: ShopIdentity; webOrigin: string };

const Body = z.object({ id: z.string().min(1).max(64), stream: z.literal("account").optional() });

const isNotification = (row: OutboxRow): row is OutboxRow & { kind: NotificationKind } =>
  (NOTIFICATION_KINDS as readonly string[]).includes(row.kind);

type Claimed = NonNullable<Awaited<ReturnType<typeof claimOutboxRow>>>;

async function refund(deps: ConsumerDeps, message: Message, claimed: Claimed, at: Date): Promise<void> {
  const { row, payment } = claimed;
  // Settled meanwhile (a provider webhook confirmed it), or nothing to refund: the work is done.
  if (!payment || payment.status !== "refund_pending" || !payment.providerRef) {
    await recordDone(deps.db, row.id, at);
    message.ack();
    return;
  }
  const result: RefundResult = await deps.payments
    .refund({ providerRef: payment.providerRef, amountCents: payment.amountCents, idempotencyKey: refundIdempotencyKey(row.orderId) })
    .catch((error: unknown) => ({ outcome: "error" as const, reason: String(error) }));
  const fields = { orderId: row.orderId, outboxId: row.id, attempts: message.attempts };
  switch (result.outcome) {
    case "refunded":
      await recordRefunded(deps.db, row, at);
      deps.log.info("refund.confirmed", fields);
      message.ack();
      return;
    case "pending":
      // The provider accepted it; its refund webhook moves the payment to refunded.
      await recordDone(deps.db, row.id, at);
      deps.log.info("refund.accepted", fields);
      message.ack();
      return;
    case "failed":
      // The admins' mail first: if it cannot be sent the message is retried (the provider refuses
      // again, under the same key), while a row already failed would be acknowledged unsent.
      await sendRefundFailedMails(deps, row, result.reason, at);
      await recordRefundFailed(deps.db, row, at, result.reason);
      deps.log.error("refund.refused", { ...fields, reason: result.reason });
      message.ack();
      return;
    case "error":
      if (isLastAttempt(message.attempts)) {
        await sendRefundFailedMails(deps, row, `out of retries: ${result.reason}`, at);
        await recordRefundFailed(deps.db, row, at, `out of retries: ${result.reason}`);
        deps.log.error("refund.out_of_retries", { ...fields, reason: result.reason });
        message.ack();
        return;
      }
      await recordAttemptFailed(deps.db, row.id, at, result.reason);
      deps.log.warn("refund.retrying", { ...fields, reason: result.reason });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

async function deliver(deps: ConsumerDeps, message: Message): Promise<void> {
  const body = Body.safeParse(message.body);
  if (!body.success) {
    deps.log.error("outbox.malformed_message", { messageId: message.id });
    message.ack();
    return;
  }
  const at = new Date(deps.now());
  if (body.data.stream === "account") {
    await sendAccountMail(deps, body.data.id, at);
    message.ack();
    return;
  }
  const claimed = await claimOutboxRow(deps.db, body.data.id, message.attempts, at);
  // Gone with its order, or finished by an earlier delivery of the same message.
  if (!claimed || claimed.row.status === "done" || claimed.row.status === "failed") {
    message.ack();
    return;
  }
  if (claimed.row.kind === "refund") return refund(deps, message, claimed, at);
  if (isNotification(claimed.row)) {
    await sendOrderMail(deps, claimed.row, at);
    await recordDone(deps.db, claimed.row.id, at);
    message.ack();
  }
}

/**
 * The outbox consumer. Each message is acknowledged or retried on its own; an unexpected error
 * (D1 unreachable) retries that message with the queue's own delay, and after the last retry the
 * queue moves it to the dead-letter queue.
 */
export async function consumeOutbox(batch: MessageBatch, deps: ConsumerDeps): Promise<void> {
  for (const message of batch.messages) {
    try {
      await deliver(deps, message);
    } catch (error) {
      deps.log.error("outbox.delivery_failed", { messageId: message.id, attempts: message.attempts, error: String(error) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/**
 * The dead-letter consumer: the row is failed, a refund it carried is refund_failed and the admins
 * are mailed. This is the end of the line: a mail that cannot be sent here is logged, not retried.
 */
export async function consumeDeadLetters(batch: MessageBatch, deps: ConsumerDeps): Promise<void> {
  const at = new Date(deps.now());
  for (const message of batch.messages) {
    const body = Body.safeParse(message.body);
    const row = body.success ? await recordDeadLetter(deps.db, body.data.id, at) : null;
    deps.log.error("outbox.dead_lettered", { messageId: message.id, outboxId: body.data?.id, kind: row?.kind, orderId: row?.orderId });
    if (body.success && row?.refundFailed) {
      await sendRefundFailedMails(deps, { id: body.data.id, orderId: row.orderId }, "dead-lettered", at).catch((error: unknown) =>
        deps.log.error("mail.refund_failed_unsent", { outboxId: body.data.id, orderId: row.orderId, error: String(error) }),
      );
    }
    message.ack();
  }
}
