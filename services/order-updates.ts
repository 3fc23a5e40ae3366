// Live order updates: waking the OrderFeed Durable Objects after a state change has committed
// (publish), and waiting for those wake-ups (listen). What changed is always read from D1.
import { describeError, type Logger } from "../lib/log";

/** The admin feed's object: every order's changes. */
export const SHOP_FEED = "shop";

const WAKE = new Uint8Array([10]);

export interface OrderFeeds {
  /** Wakes the order's subscribers and the admin feed's. */
  publish(orderId: string): Promise<void>;
  /** A stream that yields a chunk per wake-up of `feed` (an order id or SHOP_FEED). */
  listen(feed: string, signal: AbortSignal | undefined): Promise<ReadableStream<Uint8Array>>;
}

export function orderFeeds(namespace: Env["ORDER_FEED"]): OrderFeeds {
  const stub = (feed: string) => namespace.getByName(feed);
  return {
    async publish(orderId) {
      await Promise.all([stub(orderId).notify(), stub(SHOP_FEED).notify()]);
    },
    async listen(feed, signal) {
      const response = await stub(feed).fetch("https://order-feed/listen", { headers: { upgrade: "websocket" } });
      const ws = response.webSocket;
      if (!ws) throw new Error(`order feed refused the WebSocket (${response.status})`);
      ws.accept();
      // The loop in router/live.ts reads wake-ups as a stream: one chunk per message.
      let open = true;
      const stop = () => {
        if (!open) return;
        open = false;
        try {
          ws.close(1000, "subscriber gone");
        } catch {
          // the feed closed it first
        }
      };
      return new ReadableStream<Uint8Array>({
        start(controller) {
          const end = () => {
            stop();
            try {
              controller.close();
            } catch {
              // already closed or cancelled
            }
          };
          ws.addEventListener("message", () => {
            if (open) controller.enqueue(WAKE);
          });
          ws.addEventListener("close", end);
          ws.addEventListener("error", end);
          signal?.addEventListener("abort", end);
        },
        cancel: stop,
      });
    },
  };
}

/**
 * Publishes after the change's batch has committed. A failure is logged, never the caller's: the
 * event is already in D1, and a subscriber that missed the wake-up replays it when it reconnects.
 */
export async function publishOrderUpdate(deps: { feeds?: OrderFeeds; log: Logger }, orderId: string): Promise<void> {
  try {
    await deps.feeds?.publish(orderId);
  } catch (error) {
    deps.log.warn("order_feed.publish_failed", { orderId, ...describeError(error) });
  }
}

/** Resolves true at each wake-up of a listen() stream, false once it has ended. */
export function wakeUps(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  return {
    /** A stream that broke (its feed object was reset) has ended too. */
    async next(): Promise<boolean> {
      const { done } = await reader.read().catch(() => ({ done: true }));
      return !done;
    },
    /** Stops listening (closes the WebSocket to the feed object). */
    cancel: () => reader.cancel().catch(() => {}),
  };
}
