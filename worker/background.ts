// The Worker's non-HTTP entry points: the outbox queue consumers and the reconciliation cron.
// Each builds its dependencies from the env with the tRPC context's depsFor, as a request does.
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { readConfig } from "../lib/config";
import { logger } from "../lib/log";
import { depsFor } from "../router/context";
import { consumeDeadLetters, consumeOutbox } from "../services/outbox-consumer";
import { reconcile } from "../services/reconcile";

/** Dead-letter queues are named after their queue with this suffix (wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export async function queue(batch: MessageBatch, env: Env): Promise<void> {
  const config = readConfig(env);
  const deps = {
    ...depsFor(env, config),
    shop: config.mail.shop,
    webOrigin: config.mail.webOrigin,
    db: createDb(env.DB, newMetrics()),
    log: logger.child({ queue: batch.queue }),
  };
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) await consumeDeadLetters(batch, deps);
  else await consumeOutbox(batch, deps);
}

/**
 * The reconciliation cron (wrangler.toml [triggers]). Its clock is the run's scheduled time (the
 * minute Cloudflare fires it), so a local trigger can name a later time (wrangler dev's
 * `/cdn-cgi/handler/scheduled?time=`) and see what the cron does to orders that old, as the
 * browser tests do for an abandoned 3-D Secure payment.
 */
export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = readConfig(env);
  const deps = depsFor(env, config, { now: () => controller.scheduledTime });
  await reconcile({ ...deps, db: createDb(env.DB, newMetrics()), log: logger.child({ cron: controller.cron }) });
}
