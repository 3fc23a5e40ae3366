// orders.onUpdate: live order updates over server-sent events, read as any SSE client reads them
// (SELF.fetch of tRPC's subscription URL), with the changes made through the ordinary API.
import { abortAllDurableObjects, env, evictDurableObject, SELF } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { createClient, type AuthTokens } from "@storefront/client";
import { decodeJwt } from "jose";
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../domain/access-token";
import { readConfig } from "../lib/config";
import { callerFor } from "./helpers/callers";
import { signedUpUser } from "./helpers/client";
import { ADDRESS, createProduct, newKey, signedUpAdmin } from "./helpers/shop";
import { openSubscription, type SseEvent } from "./helpers/sse";
import { sendSignedWebhook, stripeEvent } from "./helpers/webhooks";

/** Opens the subscription and returns a reader of its events. */
const subscribe = (
  token: string,
  input: { id?: string; lastEventId?: string },
  path = "orders.onUpdate",
  via: "header" | "params" = "header",
) => openSubscription(path, JSON.stringify(superjson.serialize(input)), { token, via });

/** A customer's order, paid at once with tok_visa, or pending with a 3-D Secure card. */
async function placedOrder(paymentToken = "tok_visa") {
  const customer = await signedUpUser();
  const product = await createProduct({ priceCents: 1500, stock: 5 });
  await customer.client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
  const order = await customer.client.checkout.placeOrder.mutate({
    idempotencyKey: newKey(),
    shippingAddress: ADDRESS,
    paymentToken,
  });
  const token = customer.session.tokens?.accessToken;
  if (!token) throw new Error("no token");
  return { customer, order, token };
}

const statusOf = (event: SseEvent) =>
  typeof event.data === "object" && event.data !== null && "status" in event.data ? event.data.status : undefined;

describe("orders.onUpdate", () => {
  it("refuses someone else's order as not found, and a caller without a token", async () => {
    const { order } = await placedOrder();
    const stranger = await signedUpUser();
    const strangerToken = stranger.session.tokens?.accessToken ?? "";
    const refused = await subscribe(strangerToken, { id: order.id });
    const event = await refused.next();
    expect(event.event).toBe("serialized-error");
    expect(JSON.stringify(event.data)).toContain("NOT_FOUND");
    refused.close();
    const query = encodeURIComponent(JSON.stringify(superjson.serialize({ id: order.id })));
    const anonymous = await SELF.fetch(`http://storefront.test/trpc/orders.onUpdate?input=${query}`);
    const text = await anonymous.text();
    expect(text).toContain("UNAUTHORIZED");
  });

  it("sends the order after each transition, to its owner and to an admin", async () => {
    const { order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    const adminToken = admin.session.tokens?.accessToken ?? "";
    const owner = await subscribe(token, { id: order.id });
    const watching = await subscribe(adminToken, { id: order.id });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    const shipped = await owner.next();
    expect(statusOf(shipped)).toBe("shipped");
    expect(shipped.id).toMatch(/^\d+$/);
    expect(shipped.data).toMatchObject({ order: { id: order.id, status: "shipped" } });
    expect(statusOf(await watching.next())).toBe("shipped");
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" });
    expect(statusOf(await owner.next())).toBe("delivered");
    expect(statusOf(await watching.next())).toBe("delivered");
    owner.close();
    watching.close();
  });

  it("keeps an idle subscriber through the feed object's eviction (its WebSocket hibernates)", async () => {
    const { order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    const owner = await subscribe(token, { id: order.id });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    expect(statusOf(await owner.next())).toBe("shipped");
    // What the runtime does to an idle feed after 10 s; an open stream to the object would refuse it.
    await evictDurableObject(env.ORDER_FEED.getByName(order.id));
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" });
    expect(statusOf(await owner.next())).toBe("delivered");
    owner.close();
  });

  it("takes the access token from tRPC's connection parameters, as the client's EventSource sends it", async () => {
    const { customer, order, token } = await placedOrder();
    const stream = await subscribe(token, { id: order.id }, "orders.onUpdate", "params");
    await customer.client.orders.cancel.mutate({ id: order.id });
    expect(statusOf(await stream.next())).toBe("cancelled");
    stream.close();
    const forged = await subscribe(`${token.slice(0, -2)}xx`, { id: order.id }, "orders.onUpdate", "params");
    expect(JSON.stringify(await forged.next())).toContain("UNAUTHORIZED");
    forged.close();
  });

  it("sends a cancellation, and replays from D1 what a reconnecting client missed (lastEventId)", async () => {
    const { customer, order, token } = await placedOrder();
    const first = await subscribe(token, { id: order.id });
    await customer.client.orders.cancel.mutate({ id: order.id });
    const cancelled = await first.next();
    expect(statusOf(cancelled)).toBe("cancelled");
    first.close();

    // The feed object holds nothing: a reconnect gets everything after its lastEventId from D1
    // (here "0": the payment, then the cancellation it saw live, under the same id).
    const again = await subscribe(token, { id: order.id, lastEventId: "0" });
    const paid = await again.next();
    expect(statusOf(paid)).toBe("paid");
    const replayed = await again.next();
    expect(replayed.id).toBe(cancelled.id);
    expect(statusOf(replayed)).toBe("cancelled");
    again.close();
  });

  it("keeps an idle stream open past its session checks and still sends the next change", async () => {
    const { order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    // The re-check interval is the context's (30 s in production): here 20 ms, and the clock counts
    // the loop's turns, so the test sees several checks pass instead of sleeping through one.
    let turns = 0;
    const caller = await callerFor(token, {
      liveSessionCheckMs: 20,
      now: () => {
        turns++;
        return Date.now();
      },
    });
    const stream = (await caller.orders.onUpdate({ id: order.id }))[Symbol.asyncIterator]();
    const next = stream.next();
    await vi.waitFor(() => expect(turns).toBeGreaterThanOrEqual(8), { timeout: 15_000, interval: 20 });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    const event = await next;
    expect(event.done).toBe(false);
    // A caller gets tracked()'s envelope as yielded: [event id, data, marker].
    const value: unknown = event.value;
    expect(value).toEqual([expect.any(String), expect.objectContaining({ status: "shipped" }), expect.anything()]);
    await stream.return?.(undefined);
  });

  it("ends a revoked session's stream at the next wake-up instead of sending", async () => {
    const { customer, order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    const stream = await subscribe(token, { id: order.id });
    await customer.client.auth.logout.mutate();
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    // tRPC ends a finished subscription with a "return" event, then the stream closes.
    expect((await stream.next()).event).toBe("return");
    expect(await stream.next()).toEqual({ event: "closed" });
  });
});

describe("orders.onUpdate, payments settled later", () => {
  it("sends the payment of a 3-D Secure order when the provider's webhook settles it", async () => {
    const { order, token } = await placedOrder("tok_threeDSecure2Required");
    const providerRef = order.nextAction?.clientSecret.split("_secret_")[0];
    if (order.status !== "pending" || !providerRef) throw new Error("expected a pending 3-D Secure order");
    // From the first event id on: the payment is sent whether the stream starts listening before the
    // webhook commits (woken by the publish) or after (replayed from D1).
    const stream = await subscribe(token, { id: order.id, lastEventId: "0" });
    const intent = {
      id: providerRef,
      object: "payment_intent",
      amount: order.totalCents,
      currency: "usd",
      metadata: { order_id: order.id },
    };
    const body = stripeEvent("payment_intent.succeeded", { ...intent, status: "succeeded" });
    expect((await sendSignedWebhook(body)).status).toBe(200);
    expect(await stream.next()).toMatchObject({ data: { status: "paid", order: { id: order.id, status: "paid" } } });
    stream.close();
  });
});

describe("admin.orders.onUpdate", () => {
  it("streams new and changed orders shop-wide to admins only", async () => {
    const admin = await signedUpAdmin();
    const feed = await subscribe(admin.session.tokens?.accessToken ?? "", {}, "admin.orders.onUpdate");
    const { order } = await placedOrder();
    const paid = await feed.next();
    expect(paid.data).toMatchObject({ status: "paid", order: { id: order.id } });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    expect(await feed.next()).toMatchObject({ data: { status: "shipped", order: { id: order.id } } });
    feed.close();

    const customer = await signedUpUser();
    const refused = await subscribe(customer.session.tokens?.accessToken ?? "", {}, "admin.orders.onUpdate");
    const text = JSON.stringify(await refused.next());
    expect(text).toContain("FORBIDDEN");
    refused.close();
  });
});

describe("orders.onUpdate, the feed object lost between two events", () => {
  it("replays what was missed to a subscriber that reconnects with lastEventId after the object was evicted", async () => {
    const { order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    const first = await subscribe(token, { id: order.id });
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    const shipped = await first.next();
    expect(statusOf(shipped)).toBe("shipped");
    first.close();

    // Graceful eviction, as for an idle object: its in-memory state is gone, storage would stay.
    await evictDurableObject(env.ORDER_FEED.getByName(order.id));
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" });

    const again = await subscribe(token, { id: order.id, lastEventId: shipped.id });
    const delivered = await again.next();
    expect(statusOf(delivered)).toBe("delivered");
    expect(Number(delivered.id)).toBeGreaterThan(Number(shipped.id));
    expect(delivered.data).toMatchObject({ order: { id: order.id, status: "delivered" } });
    again.close();
  });

  it("keeps a connected subscriber's stream and sends the next change after the object was reset", async () => {
    const { order, token } = await placedOrder();
    const admin = await signedUpAdmin();
    const stream = await subscribe(token, { id: order.id });
    const shop = await subscribe(admin.session.tokens?.accessToken ?? "", {}, "admin.orders.onUpdate");
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    const shipped = await stream.next();
    expect(statusOf(shipped)).toBe("shipped");
    expect(await shop.next()).toMatchObject({ data: { status: "shipped", order: { id: order.id } } });

    // A reset (a deploy, a crash, a move), unlike a hibernation, breaks the listeners' WebSockets:
    // abortAllDurableObjects() does that.
    await abortAllDurableObjects();
    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "delivered" });

    const delivered = await stream.next();
    expect(statusOf(delivered)).toBe("delivered");
    expect(Number(delivered.id)).toBeGreaterThan(Number(shipped.id));
    expect(await shop.next()).toMatchObject({ data: { status: "delivered", order: { id: order.id } } });
    stream.close();
    shop.close();
  });
});

describe("@storefront/client's subscriptions", () => {
  it("refresh an access token the stream refused as expired, and open it again with the fresh one", async () => {
    const { customer, order } = await placedOrder();
    const admin = await signedUpAdmin();
    const signedUp = customer.session.tokens;
    if (!signedUp) throw new Error("no tokens");
    // The same session's access token, expired a minute ago (beyond the verifier's clock skew).
    const claims = decodeJwt(signedUp.accessToken);
    const expired = await signAccessToken(
      readConfig(env).tokens,
      { userId: String(claims.sub), sessionFamily: String(claims.sid) },
      Date.now() - (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000,
    );
    let tokens: AuthTokens = { ...signedUp, accessToken: expired.token };
    // workerd's EventSource, fetching from the Worker under test (SELF is not a Fetcher it takes);
    // the URLs show what each connection sent.
    const opened: URL[] = [];
    class WorkerEventSource extends EventSource {
      // tRPC reads the ready states from the instance, as browsers offer them; workerd's types have them static only.
      readonly CONNECTING = EventSource.CONNECTING;
      readonly OPEN = EventSource.OPEN;
      readonly CLOSED = EventSource.CLOSED;
      constructor(url: string | URL, init?: EventSourceInit) {
        opened.push(new URL(url));
        super(String(url), { ...init, fetcher: exports.default });
      }
    }
    const client = createClient({
      url: "http://storefront.test/trpc",
      fetch: (input, init) => SELF.fetch(new Request(input, init)),
      EventSource: WorkerEventSource,
      getAccessToken: () => tokens.accessToken,
      getRefreshToken: () => tokens.refreshToken,
      onTokens: (fresh) => (tokens = fresh),
    });

    const statuses: string[] = [];
    let failure: unknown;
    let started = 0;
    const subscription = client.orders.onUpdate.subscribe(
      { id: order.id },
      {
        onStarted: () => started++,
        onData: ({ data }) => statuses.push(data.status),
        onError: (error) => (failure = error),
      },
    );
    const until = async (condition: () => boolean) => {
      while (!condition() && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    // The first stream answers UNAUTHORIZED; the client refreshes and opens a second one.
    await until(() => opened.length === 2 && started === 2);
    expect(failure).toBeUndefined();
    expect(tokens.accessToken).not.toBe(expired.token);
    const sent = opened.map((url) =>
      z.object({ accessToken: z.string() }).parse(JSON.parse(url.searchParams.get("connectionParams") ?? "{}")),
    );
    expect(sent.map((p) => p.accessToken)).toEqual([expired.token, tokens.accessToken]);

    await admin.client.admin.orders.setStatus.mutate({ id: order.id, status: "shipped" });
    await until(() => statuses.length === 1);
    subscription.unsubscribe();
    expect(failure).toBeUndefined();
    expect(statuses).toEqual(["shipped"]);
  });
});
