// The Worker's non-HTTP entry points: the outbox queue consumers and the reconciliation cron.
// Each builds its dependencies from the env, as the tRPC context does for a request.
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { readConfig } from "../lib/config";
import { logger } from "../lib/log";
import { consumeDeadLetters, consumeOutbox } from "../services/outbox-consumer";
import { orderFeeds } from "../services/order-updates";
import { cloudflareOutboxQueue } from "../services/outbox";
import { paymentsFor } from "../services/payments";
import { reconcile } from "../services/reconcile";

/** Dead-letter queues are named after their queue with this suffix (wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export async function queue(batch: MessageBatch, env: Env): Promise<void> {
  const deps = {
    db: createDb(env.DB, newMetrics()),
    payments: paymentsFor(readConfig(env)),
    log: logger.child({ queue: batch.queue }),
    now: Date.now,
  };
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) await consumeDeadLetters(batch, deps);
  else await consumeOutbox(batch, deps);
}

/** The reconciliation cron (wrangler.toml [triggers]). */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  await reconcile({
    db: createDb(env.DB, newMetrics()),
    payments: paymentsFor(readConfig(env)),
    outbox: cloudflareOutboxQueue(env.OUTBOX),
    log: logger.child({ cron: controller.cron }),
    now: Date.now,
    feeds: orderFeeds(env.ORDER_FEED),
  });
}
