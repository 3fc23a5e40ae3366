// The senders of mail behind one interface: Cloudflare Email Service (the `send_email` binding),
// the development mailbox that only records (read at /dev/mailbox), and the refusal of an
// unconfigured deployment. Another provider with an HTTPS API is one more implementation here.
import { checkedMessage, type MailMessage } from "../domain/mail";
import type { MailConfig } from "../lib/config";

/** Sends one message; throws when it was not accepted (the outbox consumer then retries). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** Cloudflare Email Service: the platform's own sender, no SDK in the bundle. */
export const emailServiceMailer = (binding: SendEmail): Mailer => ({
  async send(message) {
    const { from, to, subject, html, text } = checkedMessage(message);
    return binding.send({ from, to, subject, html, text });
  },
});

/** What the mailbox keeps of one mail: the message as sent and when. */
export interface MailboxEntry extends MailMessage {
  id: string;
  sentAt: number;
}

// Keys sort by time (KV lists in key order); the prefix keeps the mailbox apart from cache keys.
const MAILBOX_PREFIX = "dev-mailbox/";
const mailboxKey = (sentAt: number, id: string) => `${MAILBOX_PREFIX}${String(sentAt).padStart(15, "0")}-${id}`;
const MAILBOX_ID = /^[0-9]{15}-[0-9a-f-]{36}$/;

/**
 * The development mailbox: records each mail in KV instead of sending it. Only development and
 * tests get it (lib/config.ts); production's /dev/mailbox does not exist.
 */
export const mailboxMailer = (kv: KVNamespace, now: () => number): Mailer => ({
  async send(message) {
    const checked = checkedMessage(message);
    const sentAt = now();
    const id = crypto.randomUUID();
    const entry: MailboxEntry = { ...checked, id: `${String(sentAt).padStart(15, "0")}-${id}`, sentAt };
    await kv.put(mailboxKey(sentAt, id), JSON.stringify(entry));
    return { messageId: entry.id };
  },
});

const isEntry = (value: unknown): value is MailboxEntry =>
  typeof value === "object" && value !== null && "id" in value && "subject" in value && "html" in value && "text" in value;

/** The mailbox's mails, newest first (at most the last 1,000: KV's one list page). */
export async function mailboxEntries(kv: KVNamespace): Promise<MailboxEntry[]> {
  const listed = await kv.list({ prefix: MAILBOX_PREFIX });
  const entries = await Promise.all(listed.keys.map(async (k) => kv.get<unknown>(k.name, "json")));
  return entries.filter(isEntry).reverse();
}

/** One mail of the mailbox by its id, or null. */
export async function mailboxEntry(kv: KVNamespace, id: string): Promise<MailboxEntry | null> {
  if (!MAILBOX_ID.test(id)) return null;
  const value = await kv.get<unknown>(`${MAILBOX_PREFIX}${id}`, "json");
  return isEntry(value) ? value : null;
}

/** A deployment without a usable transport refuses every send: the consumer retries, then dead-letters. */
const unconfiguredMailer: Mailer = {
  send: () => Promise.reject(new Error("mail is not configured (MAIL_TRANSPORT)")),
};

export function mailerFor(config: MailConfig, env: Pick<Env, "EMAIL" | "CACHE">, now: () => number): Mailer {
  switch (config.transport) {
    case "email-service":
      return emailServiceMailer(env.EMAIL);
    case "mailbox":
      return mailboxMailer(env.CACHE, now);
    case "unconfigured":
      return unconfiguredMailer;
  }
}
