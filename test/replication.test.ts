// D1 read replication: every request runs in one D1 session, answers with its bookmark, and a
// caller that sends the bookmark back reads its own writes; the client carries it by itself.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createClient } from "@storefront/client";
import { signedUpUser, uniqueIp } from "./helpers/client";
import { createProduct, signedUpAdmin } from "./helpers/shop";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const url = (path: string) => `http://storefront.test${path}`;

async function cartGet(token: string, bookmark?: string) {
  const response = await SELF.fetch(url("/trpc/cart.get"), {
    headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": uniqueIp(), ...(bookmark ? { "x-d1-bookmark": bookmark } : {}) },
  });
  const body: { result: { data: { json: { lines: { productId: string; quantity: number }[] } } } } = await response.json();
  return { response, lines: body.result.data.json.lines };
}

describe("D1 sessions and bookmarks", () => {
  it("a write answers with a bookmark, and a read with it sees the write", async () => {
    const product = await createProduct({ stock: 20 });
    const shopper = await signedUpUser();
    const token = shopper.session.tokens!.accessToken;
    const write = await SELF.fetch(url("/trpc/cart.addItem"), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
      body: JSON.stringify({ json: { productId: product.id, quantity: 3 } }),
    });
    expect(write.status).toBe(200);
    const bookmark = write.headers.get("x-d1-bookmark");
    expect(bookmark).toMatch(BOOKMARK);

    const read = await cartGet(token, bookmark!);
    expect(read.response.status).toBe(200);
    expect(read.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 3 })]);
    // The read's session is at least as new as the write it was asked to see.
    const after = read.response.headers.get("x-d1-bookmark");
    expect(after).toMatch(BOOKMARK);
    expect(after!.slice(0, 26) >= bookmark!.slice(0, 26)).toBe(true);
  });

  it.each(["garbage", "", "00000000-00000000-00000000-zz", "x".repeat(5000), "'; drop table users; --"])(
    "ignores a bookmark that is not one (%#), without an error",
    async (garbage) => {
      const shopper = await signedUpUser();
      const read = await cartGet(shopper.session.tokens!.accessToken, garbage);
      expect(read.response.status).toBe(200);
      expect(read.lines).toEqual([]);
      expect(read.response.headers.get("x-d1-bookmark")).toMatch(BOOKMARK);
    },
  );

  it("sends no bookmark from a response that ran no query", async () => {
    const response = await SELF.fetch(url("/healthz"));
    expect(response.headers.get("x-d1-bookmark")).toBeNull();
  });

  it("exposes the bookmark to cross-origin frontends and lets them send it", async () => {
    const origin = "http://localhost:5173";
    const preflight = await SELF.fetch(url("/trpc/cart.get"), {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "x-d1-bookmark" },
    });
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-d1-bookmark");
    const response = await SELF.fetch(url("/trpc/catalog.categories"), { headers: { origin } });
    expect(response.headers.get("access-control-expose-headers")).toContain("x-d1-bookmark");
  });

  it("the client remembers the newest bookmark and sends it on every later request", async () => {
    const sent: (string | null)[] = [];
    const received: (string | null)[] = [];
    const auth: { token?: string } = {};
    const client = createClient({
      url: url("/trpc"),
      headers: { "cf-connecting-ip": uniqueIp() },
      getAccessToken: () => auth.token,
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        sent.push(request.headers.get("x-d1-bookmark"));
        const response = await SELF.fetch(request);
        received.push(response.headers.get("x-d1-bookmark"));
        return response;
      },
    });
    const product = await createProduct({ stock: 20 });
    const tokens = await client.auth.signup.mutate({
      email: `bm-${crypto.randomUUID()}@example.test`,
      password: "Correct-Horse-42",
      name: "B",
    });
    auth.token = tokens.accessToken;
    await client.cart.addItem.mutate({ productId: product.id, quantity: 2 });
    const cart = await client.cart.get.query();
    expect(cart.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);

    expect(sent[0]).toBeNull();
    expect(received.every((b) => b !== null && BOOKMARK.test(b))).toBe(true);
    // Each request carries the newest bookmark seen before it.
    expect(sent[1]).toBe(received[0]);
    expect(sent[2]).toBe([received[0], received[1]].sort().at(-1));
  });

  it("a catalog edit's cache version carries the write's bookmark, and the next reader's session starts there", async () => {
    const product = await createProduct({ name: "Before" });
    const admin = await signedUpAdmin();
    await admin.client.admin.products.update.mutate({ id: product.id, name: "After" });
    const version = await env.CACHE.get("v:catalog");
    const written = version?.slice(version.indexOf(".") + 1) ?? "";
    expect(written).toMatch(BOOKMARK);

    // No bookmark from this caller: the miss still reads at or after the edit.
    const read = await SELF.fetch(url(`/trpc/catalog.get?input=${encodeURIComponent(JSON.stringify({ json: { slug: product.slug } }))}`));
    expect(await read.text()).toContain("After");
    const seen = read.headers.get("x-d1-bookmark");
    expect(seen).toMatch(BOOKMARK);
    expect(seen!.slice(0, 26) >= written.slice(0, 26)).toBe(true);
  });
});
