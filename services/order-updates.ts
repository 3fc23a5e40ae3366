// Live order updates: waking the OrderFeed Durable Objects after a state change has committed
// (publish), and waiting for those wake-ups (listen). What changed is always read from D1.
import { describeError, type Logger } from "../lib/log";

/** The admin feed's object: every order's changes. */
export const SHOP_FEED = "shop";

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
      const response = await stub(feed).fetch("https://order-feed/listen", { signal });
      if (!response.body) throw new Error("order feed answered without a stream");
      return response.body;
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
    async next(): Promise<boolean> {
      const { done } = await reader.read();
      return !done;
    },
    /** Stops listening (the feed object drops the stream when it next writes). */
    cancel: () => reader.cancel().catch(() => {}),
  };
}
