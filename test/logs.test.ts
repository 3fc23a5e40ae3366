// What the logs and cookies reveal: log lines never hold passwords, tokens or card tokens;
// the refresh cookie is HttpOnly, Secure and SameSite=Strict.
import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { STRONG_PASSWORD, testClient, uniqueEmail, uniqueIp } from "./helpers/client";
import { ADDRESS, createProduct, newKey } from "./helpers/shop";

afterEach(() => vi.restoreAllMocks());

/** What every request log line carries. */
const RequestLine = z.object({ requestId: z.string(), method: z.string(), status: z.number(), userId: z.string().optional() });

function captureLogs() {
  const lines: string[] = [];
  for (const method of ["log", "warn", "error", "info", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
  return lines;
}

describe("logs", () => {
  it("carry one JSON line per request with the request id, and no password, token or card token", async () => {
    const lines = captureLogs();
    const product = await createProduct();
    const { client, session } = testClient();
    const email = uniqueEmail();
    session.tokens = await client.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "Logged" });
    const login = await client.auth.login.mutate({ email, password: STRONG_PASSWORD });
    await client.auth.login.mutate({ email, password: "Wrong-Password-99" }).catch(() => undefined);
    const refreshed = await client.auth.refresh.mutate({ refreshToken: login.refreshToken });
    session.tokens = refreshed;
    await client.cart.addItem.mutate({ productId: product.id, quantity: 1 });
    await client.checkout.placeOrder
      .mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_declined" })
      .catch(() => undefined);
    await client.checkout.placeOrder.mutate({ idempotencyKey: newKey(), shippingAddress: ADDRESS, paymentToken: "tok_visa" });

    // Parsing checks each line's shape.
    const requests = lines.filter((l) => l.includes('"event":"request"')).map((l) => RequestLine.parse(JSON.parse(l)));
    expect(requests.length).toBeGreaterThanOrEqual(7);
    expect(requests.some((r) => r.userId === session.tokens!.user.id)).toBe(true);
    const secrets = [
      STRONG_PASSWORD,
      "Wrong-Password-99",
      login.accessToken,
      login.refreshToken,
      refreshed.accessToken,
      refreshed.refreshToken,
      "tok_visa",
      "tok_declined",
    ];
    for (const secret of secrets) expect(lines.join("\n")).not.toContain(secret);
  });
});

describe("a malformed percent escape in the path", () => {
  it("answers a tRPC-shaped 4xx, not a 500, and still writes the request line", async () => {
    for (const path of ["/trpc/%E0", "/trpc/%", "/trpc/catalog.get%ZZ", "/trpc/%C0%AF,auth.me?batch=1&input={}"]) {
      const lines = captureLogs();
      const response = await SELF.fetch(`http://storefront.test${path}`, { headers: { "x-request-id": "req-percent-1" } });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      const body: { error?: { json?: { code?: number; data?: { code?: string; httpStatus?: number } } } } = await response.json();
      expect(body.error?.json?.data?.httpStatus, path).toBe(response.status);
      expect(typeof body.error?.json?.code, path).toBe("number");
      const requests = lines.filter((l) => l.includes('"event":"request"')).map((l): unknown => JSON.parse(l));
      expect(requests, path).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        level: "info",
        requestId: "req-percent-1",
        method: "GET",
        path: "/trpc",
        status: response.status,
      });
      const errorLines = lines.filter((l) => l.includes('"level":"error"'));
      expect(errorLines, path).toEqual([]);
      vi.restoreAllMocks();
    }
  });
});

describe("the refresh cookie", () => {
  it("is HttpOnly, Secure, SameSite=Strict and scoped to the API", async () => {
    const response = await SELF.fetch("http://storefront.test/trpc/auth.signup", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
      body: JSON.stringify({ json: { email: uniqueEmail(), password: STRONG_PASSWORD, name: "Cookie" } }),
    });
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^sf_refresh=[A-Za-z0-9_-]{43};/);
    for (const flag of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/trpc"]) expect(cookie).toContain(flag);
  });
});
