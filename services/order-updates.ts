// Live order updates: waking the OrderFeed Durable Objects after a state change has committed
// (publish), and waiting for those wake-ups (listen). What changed is always read from D1.
import { describeError, type Logger } from "../lib/log";

/** The admin feed's object: every order's changes. */
export const SHOP_FEED = "shop";

export interface OrderFeeds {
  /** Wakes the order's subscribers and the admin feed's. */
  publish(orderId: string): Promise<void>;
  /** Wake-ups of `feed` (an order id or SHOP_FEED) from now on, until `signal` aborts. */
  listen(feed: string, signal: AbortSignal | undefined): Promise<WakeUps>;
}

export interface WakeUps {
  /**
   * Resolves true at the next wake-up (those since the last call count as one: the reader re-reads
   * D1 from its last event either way), false once the feed has gone. Calls while one is waiting
   * share its promise, so a wait given up (a session check that came first) can be taken up again.
   */
  next(): Promise<boolean>;
  /** Stops listening (closes the WebSocket to the feed object). */
  cancel(): void;
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
      return wakeUpsOf(ws, signal);
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

/** A listener's WebSocket to its feed object as wake-ups: each message is one. */
function wakeUpsOf(ws: WebSocket, signal: AbortSignal | undefined): WakeUps {
  let open = true;
  let woken = false;
  let waiting: PromiseWithResolvers<boolean> | null = null;
  const settle = (woke: boolean) => {
    waiting?.resolve(woke);
    waiting = null;
  };
  const end = () => {
    if (!open) return;
    open = false;
    try {
      ws.close(1000, "subscriber gone");
    } catch {
      // the feed closed it first
    }
    settle(false);
  };
  ws.addEventListener("message", () => {
    if (!open) return;
    if (waiting) settle(true);
    else woken = true;
  });
  ws.addEventListener("close", end);
  ws.addEventListener("error", end);
  signal?.addEventListener("abort", end);
  return {
    next() {
      if (woken) {
        woken = false;
        return Promise.resolve(true);
      }
      if (!open) return Promise.resolve(false);
      waiting ??= Promise.withResolvers<boolean>();
      return waiting.promise;
    },
    cancel: end,
  };
}
