// Callers with swapped dependencies (a provider, a queue that only records), built as the context
// builds them for a request; and direct access to the consumers' and cron's dependencies.
import { env } from "cloudflare:test";
import type { OutboxMessage } from "../../domain/outbox";
import type { PaymentProvider, RefundResult } from "../../domain/payments";
import { createDb } from "../../db/client";
import { newMetrics } from "../../db/metrics";
import { readConfig } from "../../lib/config";
import { logger } from "../../lib/log";
import { appRouter } from "../../router";
import { createContext, type DepsOverrides } from "../../router/context";
import { mailboxEntries, mailboxMailer, type Mailer } from "../../services/mail";
import type { OutboxQueue } from "../../services/outbox";
import type { ConsumerDeps } from "../../services/outbox-consumer";
import { testPayments } from "../../services/test-payments";

/** The context a request bearing this access token gets, with the given dependencies swapped in. */
export function contextFor(accessToken: string, overrides: DepsOverrides = {}) {
  return createContext(
    {
      env,
      waitUntil: () => {},
      req: new Request("http://storefront.test/trpc", {
        headers: { authorization: `Bearer ${accessToken}`, "cf-connecting-ip": `10.8.${Math.floor(Math.random() * 250)}.1` },
      }),
      resHeaders: new Headers(),
      requestId: "callers-test-0001",
      metrics: newMetrics(),
      log: logger.child({ requestId: "callers-test-0001" }),
      onUser: () => {},
    },
    overrides,
  );
}

export async function callerFor(accessToken: string, overrides: DepsOverrides) {
  return appRouter.createCaller(await contextFor(accessToken, overrides));
}

/** A queue that keeps what it was sent and delivers nothing (the test delivers by hand). */
export function recordingQueue(): OutboxQueue & { sent: OutboxMessage[] } {
  const sent: OutboxMessage[] = [];
  return {
    sent,
    async send(messages) {
      sent.push(...messages);
    },
  };
}

/** The test provider, whose refunds answer what the test scripts (and are recorded). */
export function scriptedRefunds(outcomes: RefundResult[]) {
  const calls: Parameters<PaymentProvider["refund"]>[0][] = [];
  const provider: PaymentProvider = {
    ...testPayments(env.STRIPE_WEBHOOK_SECRET),
    name: "test",
    async refund(input) {
      calls.push(input);
      const next = outcomes.shift();
      if (!next) throw new Error("no scripted refund outcome left");
      return next;
    },
  };
  return { provider, calls };
}

export const testDb = () => createDb(env.DB, newMetrics());

/**
 * What the outbox consumer gets in the Worker (worker/background.ts), with the provider and,
 * if given, the mailer swapped: by default the development mailbox the tests' env configures.
 */
export const consumerDeps = (payments: PaymentProvider, mail: Mailer = mailboxMailer(env.CACHE, Date.now)): ConsumerDeps => ({
  db: testDb(),
  payments,
  mail,
  shop: readConfig(env).mail.shop,
  webOrigin: readConfig(env).mail.webOrigin,
  log: logger,
  now: Date.now,
});

/** The mails in the development mailbox addressed to `to`, newest first. */
export const mailsTo = async (to: string) => (await mailboxEntries(env.CACHE)).filter((m) => m.to === to);
