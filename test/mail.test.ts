// The order mails: what each says (lines, totals, address, the shop's name and address), every
// user-supplied value escaped, header injection refused, at most one mail per event however the
// consumer is retried, and the development mailbox that exists only outside production.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { headerValue, MailHeaderError } from "../domain/mail";
import type { OutboxMessage } from "../domain/outbox";
import { createDb } from "../db/client";
import type { D1Queryable } from "../db/instrumented-d1";
import { newMetrics } from "../db/metrics";
import { readConfig } from "../lib/config";
import { emailServiceMailer, mailboxMailer, mailerFor, type Mailer, type MailboxEntry } from "../services/mail";
import { consumeOutbox, type ConsumerDeps } from "../services/outbox-consumer";
import { callerFor, consumerDeps, mailsTo, recordingQueue, scriptedRefunds } from "./helpers/callers";
import { clientWithEnv, signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, newKey, placePaidOrder, signedUpAdmin } from "./helpers/shop";

const outboxRows = async (orderId: string) =>
  (
    await env.DB.prepare("select id, kind, status from outbox where order_id = ?1 order by kind")
      .bind(orderId)
      .all<{ id: string; kind: string; status: string }>()
  ).results;

const outboxRow = async (orderId: string, kind: string) => {
  const row = (await outboxRows(orderId)).find((r) => r.kind === kind);
  if (!row) throw new Error(`no ${kind} row for ${orderId}`);
  return row;
};

/** One delivery of an outbox row's message to the consumer, as the queue makes it. */
async function deliver(id: string, deps: ConsumerDeps, attempts = 1) {
  const batch = createMessageBatch<OutboxMessage>("storefront-outbox", [
    { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body: { id } },
  ]);
  await consumeOutbox(batch, deps);
  return getQueueResult(batch, createExecutionContext());
}

/** A customer's paid order whose outbox rows are only recorded (the test delivers them). */
async function paidOrder(options: { productName?: string; address?: typeof ADDRESS } = {}) {
  const product = await createProduct({ stock: 10, priceCents: 1250, ...(options.productName ? { name: options.productName } : {}) });
  const shopper = await signedUpUser();
  await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
  const caller = await callerFor(shopper.session.tokens!.accessToken, { outbox: recordingQueue() });
  const order = await caller.checkout.placeOrder({
    idempotencyKey: newKey(),
    shippingAddress: options.address ?? ADDRESS,
    paymentToken: "tok_visa",
  });
  return { shopper, product, order, caller };
}

const onlyMail = async (to: string, subject: RegExp): Promise<MailboxEntry> => {
  const mails = (await mailsTo(to)).filter((m) => subject.test(m.subject));
  expect(mails).toHaveLength(1);
  return mails[0]!;
};

describe("order mails", () => {
  it("confirms a paid order with its lines, totals and address, from the shop, in HTML and text", async () => {
    const { shopper, product, order } = await paidOrder();
    await deliver((await outboxRow(order.id, "order.paid")).id, consumerDeps(scriptedRefunds([]).provider));
    const mail = await onlyMail(shopper.email, /confirmed/);
    const shop = readConfig(env).mail.shop;
    expect(mail.from).toEqual({ name: shop.name, email: shop.fromAddress });
    expect(mail.subject).toBe(`${shop.name}: order ${order.id.slice(0, 8)} confirmed`);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain(order.id);
      expect(part).toContain(product.name);
      expect(part).toContain("$25.00"); // 2 × $12.50
      expect(part).toContain(`$${(order.totalCents / 100).toFixed(2)}`);
      expect(part).toContain(ADDRESS.line1);
      expect(part).toContain(`${ADDRESS.postalCode} ${ADDRESS.city}`);
      for (const line of shop.address) expect(part).toContain(line);
    }
    expect(mail.text).toMatch(/Subtotal: \$25\.00\nShipping: \$\d+\.\d\d\nTotal: \$\d+\.\d\d/);
  });

  it("sends the confirmation and the shipped mail through the real queue, into the mailbox", async () => {
    const shopper = await placePaidOrder({ stock: 5, priceCents: 3000 });
    const { order } = shopper;
    const admin = await signedUpAdmin();
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    await vi.waitFor(
      async () =>
        expect((await mailsTo(shopper.email)).map((m) => m.subject.replace(/^.*order \w+ /, ""))).toEqual(["has shipped", "confirmed"]),
      {
        timeout: 15_000,
        interval: 200,
      },
    );
    const shipped = await onlyMail(shopper.email, /has shipped/);
    expect(shipped.text).toContain(`Your order ${order.id} has shipped.`);
    expect(shipped.text).toContain(ADDRESS.line1);
  });

  it("tells the customer a cancelled order is being refunded", async () => {
    const { shopper, order, caller } = await paidOrder();
    await caller.orders.cancel({ id: order.id });
    await deliver((await outboxRow(order.id, "order.cancelled")).id, consumerDeps(scriptedRefunds([]).provider));
    const mail = await onlyMail(shopper.email, /cancelled/);
    const total = `$${(order.totalCents / 100).toFixed(2)}`;
    expect(mail.text).toContain(`Your order ${order.id} was cancelled. The ${total} you paid is being refunded`);
    expect(mail.html).toContain(total);
  });

  it("mails every admin when a refund fails for good, once each", async () => {
    const admin = await signedUpAdmin();
    const { order, caller } = await paidOrder();
    await caller.orders.cancel({ id: order.id });
    const refund = await outboxRow(order.id, "refund");
    const { provider } = scriptedRefunds([{ outcome: "failed", reason: "charge already disputed" }]);
    expect((await deliver(refund.id, consumerDeps(provider))).explicitAcks).toHaveLength(1);
    await deliver(refund.id, consumerDeps(provider), 2);
    const mail = await onlyMail(admin.email, /refund failed/);
    expect(mail.subject).toContain(order.id.slice(0, 8));
    expect(mail.text).toContain(`for the cancelled order ${order.id} failed: charge already disputed.`);
    expect((await outboxRow(order.id, "refund")).status).toBe("failed");
  });
});

describe("escaping", () => {
  const hostile = `<script>alert("x")</script> "Mallory" & co`;

  it("escapes a customer's name, address and a product name in the HTML and keeps them as written in the text", async () => {
    const { shopper, order } = await paidOrder({
      productName: `Mug <img src=x onerror="alert(1)">`,
      address: { ...ADDRESS, name: hostile, line1: `1 "Quoted" <b>Road</b>` },
    });
    await env.DB.prepare("update users set name = ?1 where id = ?2").bind(hostile, shopper.user.id).run();
    await deliver((await outboxRow(order.id, "order.paid")).id, consumerDeps(scriptedRefunds([]).provider));
    const mail = await onlyMail(shopper.email, /confirmed/);
    expect(mail.html).not.toMatch(/<script|<img|<b>/i);
    expect(mail.html).not.toContain(`"Mallory"`);
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;Mallory&quot; &amp; co");
    expect(mail.html).toContain("1 &quot;Quoted&quot; &lt;b&gt;Road&lt;/b&gt;");
    expect(mail.html).toContain("Mug &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(mail.text).toContain(`Hello ${hostile},`);
    expect(mail.text).toContain(`1 "Quoted" <b>Road</b>`);
  });
});

describe("headers", () => {
  it.each([
    ["CR LF", "Shop\r\nBcc: everyone@example.test"],
    ["LF", "Shop\nBcc: everyone@example.test"],
    ["CR", "Shop\rBcc: everyone@example.test"],
    ["a Unicode line separator", "Shop\u2028Bcc: everyone@example.test"],
    ["empty", " "],
  ])("refuses a header value with %s", (_, value) => {
    expect(() => headerValue("subject", value)).toThrow(MailHeaderError);
  });

  it("refuses to send when the shop's name would inject a header, and leaves the event to be retried", async () => {
    const { shopper, order } = await paidOrder();
    const deps = consumerDeps(scriptedRefunds([]).provider);
    const injecting = { ...deps, shop: { ...deps.shop, name: "Shop\r\nBcc: everyone@example.test" } };
    const event = await outboxRow(order.id, "order.paid");
    const result = await deliver(event.id, injecting);
    expect(result.retryMessages).toHaveLength(1);
    expect(await mailsTo(shopper.email)).toEqual([]);
    // Once the configuration is fixed, the retry sends it: the refusal claimed nothing.
    await deliver(event.id, deps, 2);
    await onlyMail(shopper.email, /confirmed/);
  });

  it("keeps a customer's name with a line break out of every header", async () => {
    const { shopper, order } = await paidOrder();
    await env.DB.prepare("update users set name = ?1 where id = ?2").bind("Eve\r\nBcc: everyone@example.test", shopper.user.id).run();
    await deliver((await outboxRow(order.id, "order.paid")).id, consumerDeps(scriptedRefunds([]).provider));
    const mail = await onlyMail(shopper.email, /confirmed/);
    expect(mail.text).toContain("Hello Eve Bcc: everyone@example.test,");
    expect(`${mail.from.name}${mail.from.email}${mail.to}${mail.subject}`).not.toMatch(/[\r\n]/);
  });
});

describe("at most once per event", () => {
  /** D1 that goes down when told to: the consumer's writes after the send then fail, as in a crash. */
  function d1ThatFails() {
    const state = { down: false };
    const d1: D1Queryable = {
      prepare: (query) => env.DB.prepare(query),
      batch: (statements) => (state.down ? Promise.reject(new Error("D1 went away after the send")) : env.DB.batch(statements)),
    };
    return { state, db: createDb(d1, newMetrics()) };
  }

  it("sends one confirmation when the consumer fails after the send and before the ack, and is retried", async () => {
    const { shopper, order } = await paidOrder();
    const event = await outboxRow(order.id, "order.paid");
    const mailbox = mailboxMailer(env.CACHE, Date.now);
    const { state, db } = d1ThatFails();
    const crashing: Mailer = {
      async send(message) {
        const sent = await mailbox.send(message);
        state.down = true;
        return sent;
      },
    };
    const first = await deliver(event.id, { ...consumerDeps(scriptedRefunds([]).provider, crashing), db });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    expect((await mailsTo(shopper.email)).length).toBe(1);

    const again = await deliver(event.id, consumerDeps(scriptedRefunds([]).provider), 2);
    expect(again.explicitAcks).toHaveLength(1);
    expect((await mailsTo(shopper.email)).length).toBe(1);
    expect((await outboxRow(order.id, "order.paid")).status).toBe("done");
  });

  it("gives the mail back when the sender refuses it, so the retry sends it once", async () => {
    const { shopper, order } = await paidOrder();
    const event = await outboxRow(order.id, "order.paid");
    const refusing: Mailer = { send: () => Promise.reject(new Error("sender unavailable")) };
    expect((await deliver(event.id, consumerDeps(scriptedRefunds([]).provider, refusing))).retryMessages).toHaveLength(1);
    expect(await mailsTo(shopper.email)).toEqual([]);
    await deliver(event.id, consumerDeps(scriptedRefunds([]).provider), 2);
    await deliver(event.id, consumerDeps(scriptedRefunds([]).provider), 3);
    await onlyMail(shopper.email, /confirmed/);
  });
});

describe("the development mailbox", () => {
  it("lists the mails and shows each as the customer sees it, HTML and text", async () => {
    const { shopper, order } = await paidOrder();
    await deliver((await outboxRow(order.id, "order.paid")).id, consumerDeps(scriptedRefunds([]).provider));
    const mail = await onlyMail(shopper.email, /confirmed/);
    const { fetch } = clientWithEnv({});
    const list = await fetch("/dev/mailbox?format=json");
    expect(list.status).toBe(200);
    const { mails } = await list.json<{ mails: { id: string; to: string; subject: string }[] }>();
    expect(mails).toContainEqual(expect.objectContaining({ id: mail.id, to: shopper.email, subject: mail.subject }));
    const page = await fetch("/dev/mailbox");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`href="/dev/mailbox/${mail.id}"`);
    const html = await fetch(`/dev/mailbox/${mail.id}`);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await html.text()).toBe(mail.html);
    const text = await fetch(`/dev/mailbox/${mail.id}/text`);
    expect(await text.text()).toContain(`To: ${shopper.email}\nSubject: ${mail.subject}\n\n${mail.text}`);
    expect((await fetch("/dev/mailbox/000000000000000-00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it.each([
    ["in production, even when asked for", { ENVIRONMENT: "production", MAIL_TRANSPORT: "mailbox" }],
    ["where mail goes through Email Service", { MAIL_TRANSPORT: "email-service" }],
  ])("does not exist %s", async (_, vars) => {
    const { fetch } = clientWithEnv(vars);
    for (const path of ["/dev/mailbox", "/dev/mailbox?format=json", "/dev/mailbox/000000000000000-00000000-0000-0000-0000-000000000000"]) {
      expect((await fetch(path)).status).toBe(404);
    }
  });

  it("is refused in production: the mailer sends nothing and the event waits to be retried", async () => {
    const { shopper, order } = await paidOrder();
    const production = readConfig({ ...env, ENVIRONMENT: "production", MAIL_TRANSPORT: "mailbox" });
    expect(production.mail.transport).toBe("unconfigured");
    const mail = mailerFor(production.mail, env, Date.now);
    const result = await deliver((await outboxRow(order.id, "order.paid")).id, consumerDeps(scriptedRefunds([]).provider, mail));
    expect(result.retryMessages).toHaveLength(1);
    expect(await mailsTo(shopper.email)).toEqual([]);
  });
});

describe("Cloudflare Email Service", () => {
  it("hands the message to the send_email binding, which answers a message id under the test runtime", async () => {
    const shop = readConfig(env).mail.shop;
    const sent = await emailServiceMailer(env.EMAIL).send({
      from: { name: shop.name, email: shop.fromAddress },
      to: "customer@example.test",
      subject: "Hello",
      html: "<p>Hello</p>",
      text: "Hello",
    });
    expect(sent.messageId).toEqual(expect.any(String));
  });
});
