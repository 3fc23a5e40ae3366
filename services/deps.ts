// The one list of what a use case may be given (storage, cache, payments, mail, queue, limiter,
// live feeds, images, session cache, clock, log). Built per request by router/context.ts (its
// `depsFor` also serves the queue consumers and the cron); each service takes the part it needs.
import type { PaymentProvider } from "../domain/payments";
import type { CacheDeps } from "../db/cache";
import type { Db } from "../db/client";
import type { Logger } from "../lib/log";
import type { Limiter } from "./limiter";
import type { Mailer } from "./mail";
import type { OrderFeeds } from "./order-updates";
import type { OutboxQueue } from "./outbox";
import type { SessionCache } from "./session-cache";

export interface Deps {
  db: Db;
  cache: CacheDeps;
  payments: PaymentProvider;
  /** Sends one mail (Email Service, or the development mailbox: services/mail.ts). */
  mail: Mailer;
  /** Where committed outbox rows are sent (the OUTBOX queue). */
  outbox: OutboxQueue;
  limiter: Limiter;
  /** Wakes and waits for live order updates (services/order-updates.ts). */
  feeds: OrderFeeds;
  /** Product images (R2). */
  images: R2Bucket;
  /** Which session families are live, remembered per isolate (services/session-cache.ts). */
  sessions: SessionCache;
  /** The clock: epoch milliseconds. Never `Date.now()` in a router or service, so tests can move time. */
  now: () => number;
  log: Logger;
  /** How often an idle subscription re-checks that its session is still live (router/live.ts). */
  liveSessionCheckMs: number;
}
