// The account a customer controls: their signed-in devices (auth.sessions.list / revoke), signing
// out everywhere, deleting the account and exporting their data; and the attacks on each.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createClient } from "@storefront/client";
import { signAccessToken } from "../domain/access-token";
import { signDeviceToken } from "../domain/device-token";
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_MS } from "../domain/refresh-token";
import { insertSessionQuery } from "../db/sessions";
import { readConfig } from "../lib/config";
import { SESSION_CHECK_TTL_MS, SessionCache } from "../services/session-cache";
import type { OutboxMessage } from "../domain/outbox";
import { consumeOutbox } from "../services/outbox-consumer";
import { callerFor, consumerDeps, mailsTo, recordingQueue, scriptedRefunds, testDb } from "./helpers/callers";
import { errorCode, refusalOf, signedUpUser, STRONG_PASSWORD, testClient, uniqueIp } from "./helpers/client";
import { familyOf } from "./helpers/tokens";
import { ADDRESS, createProduct, newKey, placePaidOrder, signedUpAdmin } from "./helpers/shop";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SLOW = { timeout: 60_000 };

/** A second signed-in device of the same user: a session of its own (written to D1, as signedUpUser does). */
async function anotherDevice(userId: string) {
  const db = testDb();
  const refreshToken = newRefreshToken();
  const familyId = crypto.randomUUID();
  await insertSessionQuery(db, {
    id: crypto.randomUUID(),
    userId,
    familyId,
    tokenHash: await hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
  });
  const access = await signAccessToken(readConfig(env).tokens, { userId, sessionFamily: familyId });
  return { familyId, refreshToken, accessToken: access.token };
}

/** A client whose requests come from a browser in a place, as Cloudflare's `cf` data says. */
function clientFrom(place: { city: string; country: string }, userAgent = CHROME_LINUX) {
  return createClient({
    url: "http://storefront.test/trpc",
    fetch: (input, init) => SELF.fetch(new Request(input instanceof Request ? input : new Request(input, init), { cf: place })),
    headers: { "cf-connecting-ip": uniqueIp(), "user-agent": userAgent },
  });
}

/** A client that carries only this access token (no refresh: a refused token stays refused). */
function clientWith(accessToken: string) {
  return createClient({
    url: "http://storefront.test/trpc",
    fetch: (input, init) => SELF.fetch(input instanceof Request ? input : new Request(input, init)),
    headers: { "cf-connecting-ip": uniqueIp() },
    getAccessToken: () => accessToken,
  });
}

const refreshWith = (refreshToken: string) => testClient().client.auth.refresh.mutate({ refreshToken });

describe("auth.sessions.list", () => {
  it("lists one entry per signed-in device, not per rotated token, with its label, place and which one is this", async () => {
    const me = await signedUpUser();
    const phone = await anotherDevice(me.user.id);
    const from = clientFrom({ city: "Lisbon", country: "PT" });
    const rotated = await from.auth.refresh.mutate({ refreshToken: phone.refreshToken });
    await from.auth.refresh.mutate({ refreshToken: rotated.refreshToken });

    const list = await me.client.auth.sessions.list.query();
    expect(list).toHaveLength(2);
    const [other] = list.filter((s) => !s.current);
    expect(list.find((s) => s.current)?.id).toBe(familyOf(me.session.tokens!.accessToken));
    expect(other).toMatchObject({ id: phone.familyId, device: "Chrome on Linux", city: "Lisbon", country: "PT", current: false });
    // Created when the device signed in; last used at its latest refresh.
    expect(other!.lastUsedAt.getTime()).toBeGreaterThanOrEqual(other!.createdAt.getTime());
    expect(list[0]?.id).toBe(phone.familyId);
  });

  it("leaves out sessions that ended and other accounts' sessions", async () => {
    const me = await signedUpUser();
    const someoneElse = await signedUpUser();
    const ended = await anotherDevice(me.user.id);
    await clientWith(ended.accessToken).auth.logout.mutate();
    const list = await me.client.auth.sessions.list.query();
    expect(list.map((s) => s.id)).toEqual([familyOf(me.session.tokens!.accessToken)]);
    expect(list.map((s) => s.id)).not.toContain(familyOf(someoneElse.session.tokens!.accessToken));
  });
});

describe("auth.sessions.revoke", () => {
  it("signs the device out: its refresh token fails at once, its access token at once here and within the session check elsewhere", async () => {
    const me = await signedUpUser();
    const laptop = await anotherDevice(me.user.id);
    // Another isolate, which checked the laptop's session just before the revoke.
    const elsewhere = new SessionCache();
    expect((await (await callerFor(laptop.accessToken, { sessions: elsewhere })).auth.me()).id).toBe(me.user.id);

    expect(await me.client.auth.sessions.revoke.mutate({ id: laptop.familyId })).toEqual({ ok: true });
    expect(await errorCode(refreshWith(laptop.refreshToken))).toBe("UNAUTHORIZED");
    expect(await errorCode(clientWith(laptop.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
    const later = await callerFor(laptop.accessToken, { sessions: elsewhere, now: () => Date.now() + SESSION_CHECK_TTL_MS + 1 });
    await expect(later.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // The caller's own session is untouched, and the list no longer shows the laptop.
    expect((await me.client.auth.sessions.list.query()).map((s) => s.id)).toEqual([familyOf(me.session.tokens!.accessToken)]);
  });

  it("answers NOT_FOUND for someone else's session, which keeps working", async () => {
    const me = await signedUpUser();
    const victim = await signedUpUser();
    const victimFamily = familyOf(victim.session.tokens!.accessToken);
    expect(await refusalOf(me.client.auth.sessions.revoke.mutate({ id: victimFamily }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorCode(me.client.auth.sessions.revoke.mutate({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect((await victim.client.auth.me.query()).id).toBe(victim.user.id);
    expect((await refreshWith(victim.session.tokens!.refreshToken)).user.id).toBe(victim.user.id);
  });

  it("revokes the caller's own session like a logout", async () => {
    const me = await signedUpUser();
    const { refreshToken, accessToken } = me.session.tokens!;
    expect(await me.client.auth.sessions.revoke.mutate({ id: familyOf(accessToken) })).toEqual({ ok: true });
    expect(await errorCode(clientWith(accessToken).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await errorCode(refreshWith(refreshToken))).toBe("UNAUTHORIZED");
  });
});

/** A login attempt through HTTP with a device token, from a fresh IP: its status (429 when its bucket is empty). */
async function loginStatus(email: string, password: string, deviceToken?: string) {
  const response = await SELF.fetch("http://storefront.test/trpc/auth.login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
    body: JSON.stringify({ json: { email, password, deviceToken } }),
  });
  return response.status;
}

/** Empties the account's bucket of untrusted login attempts, so only a trusted device token still gets a try. */
async function drainUntrustedLogins(email: string) {
  const bucket = env.RATE_LIMITER.getByName(`auth.login|email|${email}`);
  for (let i = 0; i < 10; i++) await bucket.check(10, 900);
}

/** A device token as a successful login for this address issues it now (signed with the Worker's secret). */
const deviceTokenFor = (email: string) => signDeviceToken(readConfig(env).tokens.secret, email, Date.now());

describe("auth.logoutEverywhere", () => {
  it("ends every other session and voids the account's device tokens; this session stays", SLOW, async () => {
    const me = await signedUpUser();
    const [a, b] = [await anotherDevice(me.user.id), await anotherDevice(me.user.id)];
    const device = await deviceTokenFor(me.email);
    await drainUntrustedLogins(me.email);
    // Before: the device token has its own bucket (a wrong password is a 401, not a 429).
    expect(await loginStatus(me.email, "Wrong-password-9", device)).toBe(401);

    expect(await me.client.auth.logoutEverywhere.mutate()).toEqual({ ok: true });
    for (const other of [a, b]) {
      expect(await errorCode(refreshWith(other.refreshToken))).toBe("UNAUTHORIZED");
      expect(await errorCode(clientWith(other.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
    }
    expect(await loginStatus(me.email, STRONG_PASSWORD, device)).toBe(429);
    expect((await me.client.auth.me.query()).id).toBe(me.user.id);
    expect((await me.client.auth.sessions.list.query()).map((s) => s.id)).toEqual([familyOf(me.session.tokens!.accessToken)]);
  });
});

const userRow = (id: string) =>
  env.DB.prepare("select email, name, password_hash as passwordHash, role from users where id = ?1")
    .bind(id)
    .first<{ email: string; name: string; passwordHash: string; role: string }>();
const countWhere = async (table: string, userId: string) =>
  (await env.DB.prepare(`select count(*) as n from ${table} where user_id = ?1`).bind(userId).first<{ n: number }>())?.n;

describe("auth.deleteAccount", () => {
  it("erases the personal data, keeps the orders' books, ends every session, and frees the address", SLOW, async () => {
    const shopper = await placePaidOrder();
    const { client, user, email } = shopper;
    await client.reviews.create.mutate({ productId: shopper.product.id, rating: 5, body: "Lovely" });
    // The order ships, so nothing waits for the address any more.
    await env.DB.prepare("update orders set status = 'delivered' where id = ?1").bind(shopper.order.id).run();
    await client.cart.addItem.mutate({ productId: (await createProduct()).id, quantity: 1 });
    // A verification mail owed (an account link to the address): erased with the account.
    await client.auth.requestEmailVerification.mutate();
    expect(await countWhere("account_mails", user.id)).toBe(1);
    const laptop = await anotherDevice(user.id);
    const { accessToken, refreshToken } = shopper.session.tokens!;

    expect(await client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD })).toEqual({ ok: true });

    const row = await userRow(user.id);
    expect(row).toEqual({
      email: `deleted-${user.id}@deleted.invalid`,
      name: "Deleted customer",
      passwordHash: "!deleted",
      role: "customer",
    });
    expect(await countWhere("sessions", user.id)).toBe(0);
    expect(await countWhere("cart_lines", user.id)).toBe(0);
    expect(await countWhere("account_mails", user.id)).toBe(0);
    expect(await countWhere("account_tokens", user.id)).toBe(0);
    const order = await env.DB.prepare("select shipping_address as a, total_cents as t from orders where id = ?1")
      .bind(shopper.order.id)
      .first<{ a: string; t: number }>();
    expect(JSON.parse(order!.a)).toEqual({
      name: "Deleted customer",
      line1: "(erased)",
      city: "(erased)",
      postalCode: "(erased)",
      country: ADDRESS.country,
    });
    expect(order!.t).toBe(shopper.order.totalCents);
    expect(await env.DB.prepare("select count(*) as n from order_lines where order_id = ?1").bind(shopper.order.id).first("n")).toBe(1);
    const reviews = await testClient().client.reviews.list.query({ productId: shopper.product.id });
    expect(reviews.items.map((r) => r.authorName)).toEqual(["Deleted customer"]);

    // Every token of the account is refused at once.
    for (const token of [accessToken, laptop.accessToken]) expect(await errorCode(clientWith(token).auth.me.query())).toBe("UNAUTHORIZED");
    for (const token of [refreshToken, laptop.refreshToken]) expect(await errorCode(refreshWith(token))).toBe("UNAUTHORIZED");
    expect(await loginStatus(email, STRONG_PASSWORD)).toBe(401);

    // The address can sign up again: a new account, with nothing of the old one.
    const again = testClient();
    again.session.tokens = await again.client.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "New me" });
    expect(again.session.tokens.user.id).not.toBe(user.id);
    expect(await again.client.orders.list.query({})).toMatchObject({ items: [] });
  });

  it("refuses a deleted account's device token at once, and after the address signs up again", SLOW, async () => {
    const me = await signedUpUser();
    // An account of a minute ago, and a device that signed in to it five seconds ago: a token from a
    // second before the new account at the address was created (tokens carry whole seconds).
    await env.DB.prepare("update users set created_at = ?1 where id = ?2")
      .bind(Date.now() - 60_000, me.user.id)
      .run();
    const device = await signDeviceToken(readConfig(env).tokens.secret, me.email, Date.now() - 5_000);
    await drainUntrustedLogins(me.email);
    expect(await loginStatus(me.email, "Wrong-password-9", device)).toBe(401);
    await me.client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD });
    expect(await loginStatus(me.email, STRONG_PASSWORD, device)).toBe(429);
    const again = testClient();
    await again.client.auth.signup.mutate({ email: me.email, password: STRONG_PASSWORD, name: "Again" });
    expect(await loginStatus(me.email, STRONG_PASSWORD, device)).toBe(429);
  });

  it("refuses a wrong password with FORBIDDEN and changes nothing", SLOW, async () => {
    const me = await signedUpUser();
    expect(await refusalOf(me.client.auth.deleteAccount.mutate({ password: "Not-my-password-1" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await userRow(me.user.id))?.email).toBe(me.email);
    expect((await me.client.auth.me.query()).id).toBe(me.user.id);
  });

  it("refuses while an order still needs the address (orders_in_progress)", SLOW, async () => {
    const shopper = await placePaidOrder();
    expect(await refusalOf(shopper.client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "orders_in_progress",
    });
    expect((await userRow(shopper.user.id))?.email).toBe(shopper.email);
  });

  it("refuses the last admin (last_admin), and lets an admin go while another remains", SLOW, async () => {
    const first = await signedUpAdmin();
    const second = await signedUpAdmin();
    // Other test files' admins live in other databases: these two may be all there are, or not.
    const admins = async () => (await env.DB.prepare("select count(*) as n from users where role = 'admin'").first<{ n: number }>())!.n;
    await env.DB.prepare("update users set role = 'customer' where role = 'admin' and id not in (?1, ?2)")
      .bind(first.user.id, second.user.id)
      .run();
    expect(await first.client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD })).toEqual({ ok: true });
    expect(await admins()).toBe(1);
    expect(await refusalOf(second.client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "last_admin",
    });
    expect((await userRow(second.user.id))?.email).toBe(second.email);
    expect(await countWhere("sessions", second.user.id)).toBe(1);
  });
});

describe("a deleted customer's orders", () => {
  it("still read in the back office, and later events mail nobody", SLOW, async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct({ stock: 10, priceCents: 1250 });
    const shopper = await signedUpUser();
    await shopper.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    const caller = await callerFor(shopper.session.tokens!.accessToken, { outbox: recordingQueue() });
    const order = await caller.checkout.placeOrder({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });
    await caller.orders.cancel({ id: order.id });
    await shopper.client.auth.deleteAccount.mutate({ password: STRONG_PASSWORD });

    const seen = await admin.client.admin.orders.get.query({ id: order.id });
    expect(seen.shippingAddress).toMatchObject({ name: "Deleted customer", line1: "(erased)", country: ADDRESS.country });
    expect(seen.totalCents).toBe(order.totalCents);

    // The cancellation's mail, delivered after the deletion: acknowledged, sent to no one.
    const cancelled = await env.DB.prepare("select id from outbox where order_id = ?1 and kind = 'order.cancelled'")
      .bind(order.id)
      .first<{ id: string }>();
    const batch = createMessageBatch<OutboxMessage>("storefront-outbox", [
      { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { id: cancelled!.id } },
    ]);
    await consumeOutbox(batch, consumerDeps(scriptedRefunds([]).provider));
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1);
    expect(await mailsTo(`deleted-${shopper.user.id}@deleted.invalid`)).toEqual([]);
    expect(await mailsTo(shopper.email)).toEqual([]);
  });
});

describe("auth.exportData", () => {
  it("holds the caller's profile, orders with lines, reviews, cart and sessions, and nothing of anyone else", async () => {
    const shopper = await placePaidOrder();
    const other = await placePaidOrder();
    await shopper.client.reviews.create.mutate({ productId: shopper.product.id, rating: 4, body: "Good" });
    await other.client.reviews.create.mutate({ productId: shopper.product.id, rating: 1, body: "Other's" });
    await shopper.client.cart.addItem.mutate({ productId: shopper.product.id, quantity: 2 });

    const data = await shopper.client.auth.exportData.query();
    expect(data.profile).toMatchObject({ id: shopper.user.id, email: shopper.email, name: shopper.user.name });
    expect(data.orders.map((o) => o.id)).toEqual([shopper.order.id]);
    expect(data.orders[0]).toMatchObject({
      totalCents: shopper.order.totalCents,
      shippingAddress: ADDRESS,
      lines: [{ productId: shopper.product.id, quantity: 1 }],
      payments: [{ status: "succeeded" }],
    });
    expect(data.reviews.map((r) => r.body)).toEqual(["Good"]);
    expect(data.cart).toMatchObject([{ productId: shopper.product.id, quantity: 2 }]);
    expect(data.sessions.map((s) => s.familyId)).toEqual([familyOf(shopper.session.tokens!.accessToken)]);
    const text = JSON.stringify(data);
    for (const foreign of [other.order.id, other.email, other.user.id, "Other's"]) expect(text).not.toContain(foreign);
  });

  it("is served as REST JSON too", async () => {
    const me = await signedUpUser();
    const response = await SELF.fetch("http://storefront.test/api/v1/auth/export", {
      headers: { authorization: `Bearer ${me.session.tokens!.accessToken}`, "cf-connecting-ip": uniqueIp() },
    });
    expect(response.status).toBe(200);
    const body: { profile: { email: string; createdAt: string } } = await response.json();
    expect(body.profile.email).toBe(me.email);
    expect(body.profile.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
