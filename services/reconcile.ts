// The reconciliation cron: pending orders the checkout never finished are settled or released by
// what the provider knows, outbox rows that were never enqueued are sent, old idempotency keys go.
// Every write is guarded in SQL, so two runs at once, or a run racing the webhook, change an order once.
import type { PaymentLookup } from "../domain/payments";
import { claimUnsentOutbox } from "../db/outbox";
import { deleteIdempotencyKeysBefore, stalePendingOrders } from "../db/reconcile";
import { resendAccountMails } from "./account-recovery";
import { enqueueOutbox } from "./outbox";
import { releasePendingOrder, settlePendingOrder } from "./payment-state";
import type { Deps } from "./deps";

/** Feeds wake live subscribers of the orders it settles or releases; without them nobody is woken. */
export type ReconcileDeps = Pick<Deps, "db" | "payments" | "outbox" | "log" | "now"> & Partial<Pick<Deps, "feeds">>;

/** A checkout settles within seconds; one still pending after this is stranded (or awaiting 3-D Secure). */
export const PENDING_GRACE_MS = 15 * 60_000;
/**
 * A 3-D Secure step left open this long was abandoned (the customer closed the page): Stripe keeps
 * such a PaymentIntent waiting for ever, so the lookup cancels it and the order's stock comes back.
 */
export const ABANDONED_AFTER_MS = 60 * 60_000;
/** A request enqueues its rows right after the commit; one still pending after this was never sent. */
export const OUTBOX_RESEND_AFTER_MS = 60_000;
/** A retry of a checkout comes within minutes; after a day its key can go (a new order may be placed). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;
/** Per run, so one run stays well inside a cron's CPU and subrequest limits; the next run takes the rest. */
const BATCH = 50;

export interface ReconcileReport {
  settled: number;
  released: number;
  refundsRequested: number;
  stillPending: number;
  lookupErrors: number;
  outboxResent: number;
  idempotencyKeysDeleted: number;
}

export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const now = deps.now();
  const report: ReconcileReport = {
    settled: 0,
    released: 0,
    refundsRequested: 0,
    stillPending: 0,
    lookupErrors: 0,
    outboxResent: 0,
    idempotencyKeysDeleted: 0,
  };

  for (const { id, createdAt } of await stalePendingOrders(deps.db, new Date(now - PENDING_GRACE_MS), BATCH)) {
    // The charge used the order id as its idempotency key.
    const found: PaymentLookup = await deps.payments
      .lookup({ orderId: id, idempotencyKey: id, abandon: createdAt.getTime() <= now - ABANDONED_AFTER_MS })
      .catch((error: unknown) => ({ outcome: "error" as const, reason: String(error) }));
    switch (found.outcome) {
      case "succeeded": {
        const outcome = await settlePendingOrder(deps, { orderId: id, provider: deps.payments.name, providerRef: found.providerRef });
        if (outcome === "settled") report.settled++;
        if (outcome === "refund_requested") report.refundsRequested++;
        break;
      }
      case "not_charged":
        if (await releasePendingOrder(deps, { orderId: id, provider: deps.payments.name })) report.released++;
        break;
      case "pending":
        report.stillPending++;
        break;
      case "error":
        report.lookupErrors++;
        deps.log.warn("reconcile.lookup_failed", { orderId: id, reason: found.reason });
    }
  }

  const unsent = await claimUnsentOutbox(deps.db, new Date(now - OUTBOX_RESEND_AFTER_MS), new Date(now), BATCH * 4);
  await enqueueOutbox(
    deps,
    unsent.map((id) => ({ id })),
  );
  report.outboxResent = unsent.length;
  const accountMails = await resendAccountMails(deps, BATCH * 4);
  if (accountMails > 0) deps.log.info("reconcile.account_mails_resent", { count: accountMails });

  report.idempotencyKeysDeleted = await deleteIdempotencyKeysBefore(deps.db, new Date(now - IDEMPOTENCY_KEY_TTL_MS));
  deps.log.info("reconcile.done", { ...report });
  return report;
}
