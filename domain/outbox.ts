// The durable side effects an order change owes (an outbox row each, sent through the queue), and
// the retry schedule their consumer follows.

/** `refund` asks the provider to refund a cancelled order; the others become customer notifications. */
export const OUTBOX_KINDS = ["refund", "order.paid", "order.shipped", "order.cancelled"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const NOTIFICATION_KINDS = ["order.paid", "order.shipped", "order.cancelled"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * `pending` from the commit until a consumer takes it; `processing` while deliveries retry;
 * `done` once applied; `failed` when the provider refused for good, retries ran out, or the
 * message was dead-lettered.
 */
export const OUTBOX_STATUSES = ["pending", "processing", "done", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What goes on the queue: only the row's id; the row in D1 is the truth the consumer reads. */
export interface OutboxMessage {
  id: string;
  /** "account": the id is an account mail's (account_mails), not an outbox row's. */
  stream?: "account";
}

/** Must equal `max_retries` of the outbox consumer in wrangler.toml: deliveries are 1 + retries. */
export const QUEUE_MAX_RETRIES = 5;

/** The delivery (1-based, as `Message.attempts` counts) after which a failure is final. */
export const isLastAttempt = (attempts: number) => attempts >= QUEUE_MAX_RETRIES + 1;

/** Exponential backoff for a provider outage: 30 s, 1 min, 2 min, 4 min, 8 min… at most an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600);

/** A refund's idempotency key at the provider: one refund per order, however often it is retried. */
export const refundIdempotencyKey = (orderId: string) => `refund_${orderId}`;
