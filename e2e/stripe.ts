// Stripe for the browser tests, offline: the Stripe API fake (test/stripe-fake.ts) served over HTTP
// for the Worker's SDK (STRIPE_API_BASE), the same fake answering the page's calls to
// api.stripe.com, and the fake Stripe.js (e2e/fake-stripe-js.ts) at Stripe.js's URL, both through
// Playwright's routes. When the customer completes 3-D Secure, it sends the Worker the signed
// payment_intent.succeeded event Stripe would send.
import { createServer, type IncomingMessage } from "node:http";
import type { BrowserContext } from "playwright-core";
import Stripe from "stripe";
import { fakeStripe } from "../test/stripe-fake.ts";
import { FAKE_STRIPE_JS } from "./fake-stripe-js.ts";

export interface StripeApi {
  url: string;
  /** Routes Stripe.js's URL and Stripe's API to the fakes for every page of the context. */
  route(context: BrowserContext): Promise<void>;
  stop(): Promise<void>;
}

const AUTHENTICATED = /^\/__fake\/payment_intents\/[^/]+\/authenticate$/;
const cryptoProvider = Stripe.createSubtleCryptoProvider();

async function bodyOf(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export async function startStripeApi(options: { port: number; webhookUrl: string; webhookSecret: string }): Promise<StripeApi> {
  // Stripe's event for an intent the customer just authenticated, signed as Stripe signs.
  async function sendSucceeded(intent: unknown) {
    const payload = JSON.stringify({
      id: `evt_${crypto.randomUUID().replace(/-/g, "")}`,
      object: "event",
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type: "payment_intent.succeeded",
      data: { object: intent },
    });
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: options.webhookSecret, cryptoProvider });
    const response = await fetch(options.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    if (!response.ok) console.error(`e2e: the Worker refused the webhook: ${response.status} ${await response.text()}`);
  }

  async function answer(request: Request): Promise<Response> {
    const response = await fakeStripe(request);
    if (response.ok && AUTHENTICATED.test(new URL(request.url).pathname)) await sendSucceeded(await response.clone().json());
    return response;
  }

  const server = createServer((message, reply) => {
    void (async () => {
      const body = message.method === "GET" || message.method === "HEAD" ? undefined : await bodyOf(message);
      const headers = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "connection") headers.set(name, value);
      }
      const response = await answer(
        new Request(`http://api.stripe.com${message.url ?? "/"}`, {
          method: message.method,
          headers,
          body: body ? new Uint8Array(body) : undefined,
        }),
      );
      reply.writeHead(response.status, Object.fromEntries(response.headers));
      reply.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      reply.writeHead(500, { "content-type": "text/plain" });
      reply.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });

  return {
    url: `http://127.0.0.1:${options.port}`,
    async route(context) {
      await context.route("https://js.stripe.com/**", (route) =>
        route.fulfill({ status: 200, contentType: "application/javascript; charset=utf-8", body: FAKE_STRIPE_JS }),
      );
      await context.route("https://api.stripe.com/**", async (route) => {
        const sent = route.request();
        const contentType = await sent.headerValue("content-type");
        const response = await answer(
          new Request(sent.url(), {
            method: sent.method(),
            headers: contentType ? { "content-type": contentType } : {},
            body: sent.postData() ?? undefined,
          }),
        );
        await route.fulfill({
          status: response.status,
          // Stripe's API answers the page's origin (Stripe.js's calls are cross-origin).
          headers: { ...Object.fromEntries(response.headers), "access-control-allow-origin": "*" },
          body: Buffer.from(await response.arrayBuffer()),
        });
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
