import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildApp } from "../worker/app";
import { ErrorBody } from "../router/error-shape";
import { UNPARSABLE_INPUT_MESSAGE } from "../router/init";
import { signedUpUser } from "./helpers/client";

const url = (path: string) => `http://storefront.test${path}`;
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  SELF.fetch(url(path), { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

const CallError = z.object({
  json: z.object({ message: z.string(), data: z.object({ code: z.string(), reason: z.string().optional() }) }),
});
/** One call's answer in a tRPC response (a batch holds one per call); a failed call has `error`. */
const CallAnswer = z.object({ error: CallError.optional() });

describe("plain routes", () => {
  it("answers /healthz and /readyz", async () => {
    expect(await (await SELF.fetch(url("/healthz"))).json()).toEqual({ status: "ok" });
    const ready = await SELF.fetch(url("/readyz"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("answers /readyz with 503 when D1 fails", async () => {
    const brokenDb = { prepare: () => ({ first: () => Promise.reject(new Error("D1 is down")) }) };
    const ctx = createExecutionContext();
    const response = await buildApp().fetch(new Request(url("/readyz")), { ...env, DB: brokenDb }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain("D1 is down");
  });

  it("has no benchmark floor route outside the bench's own build", async () => {
    expect((await SELF.fetch(url("/__floor"))).status).toBe(404);
  });

  // An unknown GET outside the Worker's routes is one of the web app's documents (test/app-pages.test.ts).
  it.each([
    ["GET", "/webhooks/nope"],
    ["GET", "/dev/nope"],
    ["POST", "/nope"],
  ])("answers an unknown route (%s %s) with a 404 in the API's error shape", async (method, path) => {
    const response = await SELF.fetch(url(path), { method });
    expect(response.status).toBe(404);
    expect(ErrorBody.parse(await response.json())).toMatchObject({ code: "NOT_FOUND", data: { code: "NOT_FOUND", httpStatus: 404 } });
  });
});

describe("middleware", () => {
  it("sets a request id, or keeps a sane one from the caller", async () => {
    const generated = await SELF.fetch(url("/healthz"));
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await SELF.fetch(url("/healthz"), { headers: { "x-request-id": "trace-abc-12345" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-abc-12345");
    const replaced = await SELF.fetch(url("/healthz"), { headers: { "x-request-id": "bad id\u0001<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends security headers and Server-Timing with total, db and cache", async () => {
    const response = await SELF.fetch(url("/trpc/auth.me"));
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    // Headers that act on HTML documents only are not sent by a JSON API.
    expect(response.headers.get("x-xss-protection")).toBeNull();
    const timing = response.headers.get("server-timing") ?? "";
    for (const metric of ["total", "db", "cache"]) expect(timing).toContain(`${metric};dur=`);
  });

  it("allows CORS only for origins on the allow-list", async () => {
    const allowed = await SELF.fetch(url("/trpc/auth.me"), {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const refused = await SELF.fetch(url("/trpc/auth.me"), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("in production, refuses localhost and plain-http origins even when ALLOWED_ORIGINS lists them", async () => {
    const production = {
      ...env,
      ENVIRONMENT: "production",
      ALLOWED_ORIGINS:
        "http://localhost:5173, https://shop.example, http://shop.example, https://localhost:8443, https://127.0.0.1, https://[::1]:8443, https://app.localhost",
    };
    const allowedOrigin = async (origin: string) => {
      const ctx = createExecutionContext();
      const request = new Request(url("/trpc/auth.me"), {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      const response = await buildApp().fetch(request, production, ctx);
      await waitOnExecutionContext(ctx);
      return response.headers.get("access-control-allow-origin");
    };
    expect(await allowedOrigin("https://shop.example")).toBe("https://shop.example");
    for (const origin of [
      "http://localhost:5173",
      "http://shop.example",
      "https://localhost:8443",
      "https://127.0.0.1",
      "https://[::1]:8443",
      "https://app.localhost",
    ]) {
      expect(await allowedOrigin(origin), origin).toBeNull();
    }
  });
});

describe("request bodies and batches", () => {
  it("refuses malformed JSON with 400", async () => {
    const response = await post("/trpc/auth.login", "{not json");
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("BAD_REQUEST");
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers input that cannot be parsed with one stable message and reason, and no library text", async () => {
    const UNPARSABLE = UNPARSABLE_INPUT_MESSAGE;
    const ip = { "cf-connecting-ip": "192.0.2.88" };
    const login = (body: string) => post("/trpc/auth.login", body, ip);
    const batchOfTwo = (body: string) => post("/trpc/auth.login,auth.login?batch=1", body, ip);
    const getProduct = (input: string) => SELF.fetch(url(`/trpc/catalog.get?input=${encodeURIComponent(input)}`));
    const getBatch = (input: string) => SELF.fetch(url(`/trpc/catalog.get,catalog.categories?batch=1&input=${encodeURIComponent(input)}`));
    const cases: [string, () => Promise<Response>][] = [
      // Each of these makes superjson 2.2 throw while deserialising (its message in the comment).
      ["superjson referential equalities of the wrong shape", () => login('{"json":{"a":[1]},"meta":{"referentialEqualities":["a"]}}')], // root.forEach is not a function
      ["superjson referential equalities that are not lists", () => login('{"json":{"a":[1]},"meta":{"referentialEqualities":{"a":1}}}')], // identicalPaths.map …
      ["superjson set over a number", () => login('{"json":{"a":1},"meta":{"values":{"a":["set"]}}}')], // number 1 is not iterable …
      ["superjson annotation that is not a list", () => login('{"json":{"a":1},"meta":{"values":{"a":"set"}}}')], // Maximum call stack size exceeded
      ["superjson meta reaching the prototype", () => login('{"json":{},"meta":{"values":{"__proto__.x":["set"]}}}')], // __proto__ is not allowed …
      ["superjson unknown transformation", () => login('{"json":{"a":1},"meta":{"values":{"a":["nope"]}}}')], // Unknown transformation: nope
      ["superjson invalid regexp", () => login('{"json":{"a":"/((/"},"meta":{"values":{"a":["regexp"]}}}')], // Invalid regular expression …
      ["superjson invalid bigint", () => login('{"json":{"a":"x"},"meta":{"values":{"a":["bigint"]}}}')], // Cannot convert x to a BigInt
      ["not JSON", () => login("{not json")],
      ["truncated JSON", () => login('{"json":{"email":')],
      ["a malformed call in a batch", () => batchOfTwo('{"0":{"json":{"a":[1]},"meta":{"referentialEqualities":["a"]}},"1":{"json":{}}}')],
      ["a batch body that is not JSON", () => batchOfTwo('{"0":')],
      ["GET input that is not JSON", () => getProduct("{oops")],
      ["GET input with broken superjson meta", () => getProduct('{"json":{"slug":1},"meta":{"values":{"slug":["map"]}}}')],
      [
        "GET batch input with broken superjson meta",
        () => getBatch('{"0":{"json":{"slug":"/((/"},"meta":{"values":{"slug":["regexp"]}}}}'),
      ],
    ];
    for (const [name, send] of cases) {
      const response = await send();
      // A batch whose other calls succeed answers 207 with the failed call's error in place.
      expect(name.includes("batch") ? [400, 207] : [400], name).toContain(response.status);
      const text = await response.text();
      const parsed: unknown = JSON.parse(text);
      const answers = z.array(CallAnswer).parse([parsed].flat());
      const failed = answers.flatMap((b) => (b.error ? [b.error] : []));
      expect(failed.length, name).toBeGreaterThan(0);
      for (const error of failed) {
        expect(error.json.message, name).toBe(UNPARSABLE);
        expect(error.json.data, name).toMatchObject({ code: "BAD_REQUEST", reason: "unparsable_input" });
      }
      const internals = [
        "forEach",
        "is not a function",
        "iterable",
        "call stack",
        "__proto__",
        "transformation",
        "regular expression",
        "BigInt",
        "Unexpected",
        "JSON",
        "position",
      ];
      for (const internal of internals.filter((i) => !UNPARSABLE.includes(i))) {
        expect(text, name).not.toContain(internal);
      }
    }
    // Our own refusals of well-formed input keep their messages.
    const badCursor = await SELF.fetch(url(`/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ json: { cursor: "!!" } }))}`));
    expect((await badCursor.json<{ error: { json: { message: string } } }>()).error.json.message).toBe(
      "This page cursor is not valid; start from the first page.",
    );
    const invalid = await login(JSON.stringify({ json: { email: "not-an-email", password: "x" } }));
    expect((await invalid.json<{ error: { json: { message: string } } }>()).error.json.message).toMatch(/^Invalid input: /);
  });

  it("refuses a body over the limit with 413 before tRPC reads it", async () => {
    const response = await post("/trpc/auth.login", JSON.stringify({ json: { email: "a@b.c", password: "x".repeat(70_000) } }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { json: { data: { code: "PAYLOAD_TOO_LARGE" } } } });
  });

  it("refuses a body without a JSON content type with 415 (CSRF guard for the refresh cookie)", async () => {
    const response = await SELF.fetch(url("/trpc/auth.refresh"), {
      method: "POST",
      headers: { "content-type": "text/plain", cookie: "sf_refresh=x" },
      body: "{}",
    });
    expect(response.status).toBe(415);
  });

  it("answers a GET on a mutation with 405 and an unknown procedure with 404", async () => {
    expect((await SELF.fetch(url("/trpc/auth.login"))).status).toBe(405);
    expect((await post("/trpc/auth.nothing", "{}")).status).toBe(404);
  });

  it("serves a large batched POST under the limit end to end", async () => {
    const { session } = await signedUpUser();
    const calls = 15;
    const body = JSON.stringify(
      Object.fromEntries(
        Array.from({ length: calls }, (_, i) => [i, { json: { email: `x${i}@example.test`, password: "p".repeat(100) } }]),
      ),
    );
    expect(body.length).toBeGreaterThan(2000);
    const path = `/trpc/${Array(calls).fill("auth.login").join(",")}?batch=1`;
    const response = await post(path, body, { authorization: `Bearer ${session.tokens!.accessToken}`, "cf-connecting-ip": "192.0.2.77" });
    const results: { error?: { json: { data: { code: string } } } }[] = await response.json();
    expect(results).toHaveLength(calls);
    expect(results.every((r) => r.error?.json.data.code === "UNAUTHORIZED")).toBe(true);
  });

  it("refuses a batch of more calls than MAX_BATCH_SIZE", async () => {
    const calls = Number(env.MAX_BATCH_SIZE) + 1;
    const response = await SELF.fetch(url(`/trpc/${Array(calls).fill("auth.me").join(",")}?batch=1&input={}`));
    expect(response.status).toBe(400);
  });

  it("turns an unexpected failure into a generic 500 with the request id, and no stack or cause", async () => {
    const brokenSession = {
      prepare: () => {
        throw new Error("SQLITE_CORRUPT secret-detail");
      },
    };
    // Requests run their queries in a D1 session (read replication): the session is what breaks.
    const brokenDb = { withSession: () => brokenSession };
    const ctx = createExecutionContext();
    const request = new Request(url("/trpc/auth.login"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-12345678" },
      body: JSON.stringify({ json: { email: "someone@example.test", password: "Whatever-123" } }),
    });
    const response = await buildApp().fetch(request, { ...env, DB: brokenDb }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain("INTERNAL_SERVER_ERROR");
    expect(text).toContain("req-12345678");
    expect(text).not.toContain("secret-detail");
    expect(text).not.toContain("stack");
  });
});
