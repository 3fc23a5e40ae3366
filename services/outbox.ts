// Putting committed outbox rows on the queue. The send comes after the commit and may fail: the
// row stays `pending` and the reconciliation cron sends it again, so a failure is logged, not thrown.
import type { OutboxMessage } from "../domain/outbox";
import type { Logger } from "../lib/log";

/** The producer side of the outbox queue, as the context hands it out (a test passes its own). */
export interface OutboxQueue {
  send(messages: readonly OutboxMessage[]): Promise<void>;
}

export const cloudflareOutboxQueue = (queue: Queue): OutboxQueue => ({
  async send(messages) {
    if (messages.length > 0) await queue.sendBatch(messages.map((body) => ({ body })));
  },
});

/** Sends the rows a committed change wrote; never throws. */
export async function enqueueOutbox(deps: { outbox: OutboxQueue; log: Logger }, entries: readonly { id: string }[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await deps.outbox.send(entries.map((e) => ({ id: e.id })));
  } catch (error) {
    deps.log.warn("outbox.enqueue_failed", { ids: entries.map((e) => e.id), error: String(error) });
  }
}
