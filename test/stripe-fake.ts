// A local fake of the few Stripe API endpoints the shop uses (ConfirmationTokens, PaymentIntents
// create, search and cancel, Refunds create), with bodies shaped after Stripe's API reference.
// Runs in Node: served to the Worker under test through Miniflare's outboundService, and over
// HTTP for the browser tests (e2e/stripe-api.ts); the real SDK talks to it either way.
//
// ConfirmationTokens come from the test helper (POST /v1/test_helpers/confirmation_tokens with a
// payment_method, secret key) as in Stripe's test mode, or from the browser (POST
// /v1/confirmation_tokens with a publishable key and a test card number, what the fake Stripe.js
// sends). The token's payment method decides, as Stripe's test cards do: pm_card_visa (4242…)
// succeeds, pm_card_chargeDeclined* (4000 0000 0000 0002, …9995) are declined,
// pm_card_threeDSecure2Required (4000 0027 6000 3184) needs 3-D Secure; and for what Stripe's test
// mode cannot do on demand: pm_fake_http500 (always 500), pm_fake_flaky (500 once, then fine),
// pm_fake_timeout (answers after the SDK gave up), pm_fake_refund_http500 (charges, but its refunds
// fail with 500). A token pays once. Tests read what it received at /__fake/requests.

interface FakeIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  confirmation_method: "automatic";
  capture_method: "automatic";
  created: number;
  livemode: false;
  metadata: Record<string, string>;
  payment_method: string;
  latest_charge: string | null;
  last_payment_error: unknown;
  next_action: unknown;
}

export interface FakeRequest {
  /** The host the SDK called: api.stripe.com, or the one STRIPE_API_BASE names. */
  host: string;
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Record<string, string>;
}

const intents = new Map<string, FakeIntent>();
const refundedIntents = new Set<string>();
const replays = new Map<string, { status: number; body: string }>();
const requests: FakeRequest[] = [];
const flakyKeys = new Set<string>();
const tokens = new Map<string, { paymentMethod: string; used: boolean }>();

const id = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
const now = () => Math.floor(Date.now() / 1000);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "request-id": id("req"), ...headers } });
const stripeError = (status: number, error: { type: string; message: string; code?: string; [field: string]: unknown }) =>
  json(status, {
    error: {
      ...(error.code ? { doc_url: `https://docs.stripe.com/error-codes/${error.code}` } : {}),
      request_log_url: "https://dashboard.stripe.com/test/logs",
      ...error,
    },
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const DECLINES: Record<string, { decline_code: string; message: string }> = {
  pm_card_chargeDeclined: { decline_code: "generic_decline", message: "Your card was declined." },
  pm_card_chargeDeclinedInsufficientFunds: { decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  pm_card_chargeDeclinedExpiredCard: { decline_code: "expired_card", message: "Your card has expired." },
};

const PAYMENT_METHODS = new Set([
  "pm_card_visa",
  "pm_card_threeDSecure2Required",
  ...Object.keys(DECLINES),
  "pm_fake_http500",
  "pm_fake_flaky",
  "pm_fake_timeout",
  "pm_fake_refund_http500",
]);

/** Stripe's documented test card numbers, as the Payment Element would collect them. */
const TEST_CARDS: Record<string, string> = {
  "4242424242424242": "pm_card_visa",
  "4000002760003184": "pm_card_threeDSecure2Required",
  "4000000000000002": "pm_card_chargeDeclined",
  "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
};

function createConfirmationToken(paymentMethod: string): Response {
  if (!PAYMENT_METHODS.has(paymentMethod)) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      param: "payment_method",
      message: `No such PaymentMethod: '${paymentMethod}'`,
    });
  }
  const tokenId = id("ctoken");
  tokens.set(tokenId, { paymentMethod, used: false });
  const created = now();
  return json(200, {
    id: tokenId,
    object: "confirmation_token",
    created,
    expires_at: created + 12 * 60 * 60,
    livemode: false,
    payment_intent: null,
    payment_method_preview: { type: "card", card: { brand: "visa", last4: paymentMethod === "pm_card_visa" ? "4242" : "0000" } },
    setup_intent: null,
    use_stripe_sdk: true,
  });
}

/** What the browser's Stripe.js posts: the card as typed into the Payment Element. */
function createConfirmationTokenFromCard(params: Record<string, string>): Response {
  const number = (params["payment_method_data[card][number]"] ?? "").replace(/\s/g, "");
  const paymentMethod = TEST_CARDS[number];
  if (!paymentMethod) {
    return stripeError(402, {
      type: "card_error",
      code: "incorrect_number",
      param: "payment_method_data[card][number]",
      message: "Your card number is incorrect.",
    });
  }
  return createConfirmationToken(paymentMethod);
}

function newIntent(params: Record<string, string>, status: string, paymentMethod: string): FakeIntent {
  const intentId = id("pi");
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const m = /^metadata\[(.+)\]$/.exec(key);
    if (m?.[1]) metadata[m[1]] = value;
  }
  const intent: FakeIntent = {
    id: intentId,
    object: "payment_intent",
    amount: Number(params.amount),
    amount_received: status === "succeeded" ? Number(params.amount) : 0,
    currency: params.currency ?? "usd",
    status,
    client_secret: `${intentId}_secret_${crypto.randomUUID().replace(/-/g, "")}`,
    confirmation_method: "automatic",
    capture_method: "automatic",
    created: now(),
    livemode: false,
    metadata,
    payment_method: paymentMethod,
    latest_charge: status === "succeeded" ? id("ch") : null,
    last_payment_error: null,
    next_action:
      status === "requires_action"
        ? {
            type: "use_stripe_sdk",
            use_stripe_sdk: {
              type: "three_d_secure_redirect",
              stripe_js: "https://hooks.stripe.com/3d_secure_2/hosted",
              source: id("src"),
            },
          }
        : null,
  };
  intents.set(intentId, intent);
  return intent;
}

/** The payment method a create names, directly or through a ConfirmationToken (not yet spent). */
function paymentMethodOf(params: Record<string, string>): string | Response {
  const tokenId = params.confirmation_token;
  if (tokenId === undefined) return params.payment_method ?? "";
  const token = tokens.get(tokenId);
  if (!token) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      param: "confirmation_token",
      message: `No such confirmation_token: '${tokenId}'`,
    });
  }
  if (token.used) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "confirmation_token_already_used",
      param: "confirmation_token",
      message: "This ConfirmationToken has already been used. Create a new one.",
    });
  }
  return token.paymentMethod;
}

/** A confirmation that reached the API spends its token; a 500 before it ran does not. */
function spendToken(params: Record<string, string>) {
  const token = tokens.get(params.confirmation_token ?? "");
  if (token) token.used = true;
}

async function createIntent(params: Record<string, string>, idempotencyKey: string | null): Promise<Response> {
  const method = paymentMethodOf(params);
  if (method instanceof Response) return method;
  if (method === "pm_fake_http500") return stripeError(500, { type: "api_error", message: "An unknown error occurred" });
  if (method === "pm_fake_flaky" && idempotencyKey && !flakyKeys.has(idempotencyKey)) {
    flakyKeys.add(idempotencyKey);
    return stripeError(500, { type: "api_error", message: "An unknown error occurred" });
  }
  if (method === "pm_fake_timeout") {
    await sleep(8_000);
    return stripeError(500, { type: "api_error", message: "Too late" });
  }
  spendToken(params);
  if (params.confirm !== "true" || !params.amount || !params.currency) {
    return stripeError(400, { type: "invalid_request_error", code: "parameter_missing", message: "Missing required param." });
  }
  const decline = DECLINES[method];
  if (decline) {
    const intent = newIntent(params, "requires_payment_method", method);
    const error = { type: "card_error", code: "card_declined", ...decline, charge: id("ch") };
    intent.last_payment_error = error;
    return stripeError(402, { ...error, payment_intent: intent });
  }
  if (method === "pm_card_threeDSecure2Required") return json(200, newIntent(params, "requires_action", method));
  if (method === "pm_card_visa" || method === "pm_fake_flaky" || method === "pm_fake_refund_http500")
    return json(200, newIntent(params, "succeeded", method));
  return stripeError(400, {
    type: "invalid_request_error",
    code: "resource_missing",
    param: "payment_method",
    message: `No such PaymentMethod: '${method}'`,
  });
}

function createRefund(params: Record<string, string>): Response {
  const intent = intents.get(params.payment_intent ?? "");
  if (!intent) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      param: "payment_intent",
      message: `No such payment_intent: '${params.payment_intent ?? ""}'`,
    });
  }
  if (intent.payment_method === "pm_fake_refund_http500")
    return stripeError(500, { type: "api_error", message: "An unknown error occurred" });
  if (intent.status !== "succeeded") {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: "This PaymentIntent has not been charged.",
    });
  }
  if (refundedIntents.has(intent.id)) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "charge_already_refunded",
      message: `Charge ${intent.latest_charge ?? ""} has already been refunded.`,
    });
  }
  const amount = params.amount ? Number(params.amount) : intent.amount;
  if (amount > intent.amount) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "amount_too_large",
      param: "amount",
      message: "Refund amount is greater than charge amount.",
    });
  }
  refundedIntents.add(intent.id);
  return json(200, {
    id: id("re"),
    object: "refund",
    amount,
    charge: intent.latest_charge,
    created: now(),
    currency: intent.currency,
    metadata: {},
    payment_intent: intent.id,
    reason: null,
    status: "succeeded",
  });
}

function cancelIntent(intentId: string, params: Record<string, string>): Response {
  const intent = intents.get(intentId);
  if (!intent) {
    return stripeError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such payment_intent: '${intentId}'`,
    });
  }
  if (!["requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"].includes(intent.status)) {
    return stripeError(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
    });
  }
  intent.status = "canceled";
  intent.next_action = null;
  return json(200, { ...intent, cancellation_reason: params.cancellation_reason ?? null, canceled_at: now() });
}

function searchIntents(query: string): Response {
  // The one query the shop sends: metadata['order_id']:'<id>'.
  const m = /^metadata\['order_id'\]:'([^']*)'$/.exec(query);
  if (!m) return stripeError(400, { type: "invalid_request_error", code: "parameter_invalid_string_blank", message: "Unsupported query." });
  const data = [...intents.values()].filter((intent) => intent.metadata.order_id === m[1]);
  return json(200, { object: "search_result", data, has_more: false, next_page: null, url: "/v1/payment_intents/search" });
}

/** Test-only controls: what the fake received, and a customer finishing 3-D Secure. */
function control(url: URL): Response {
  if (url.pathname === "/__fake/requests") {
    const orderId = url.searchParams.get("order");
    return json(
      200,
      orderId ? requests.filter((r) => r.params["metadata[order_id]"] === orderId || r.idempotencyKey === orderId) : requests,
    );
  }
  const finish = /^\/__fake\/payment_intents\/([^/]+)\/authenticate$/.exec(url.pathname);
  const intent = finish?.[1] ? intents.get(finish[1]) : undefined;
  // Only a payment waiting for its customer can be authenticated (an abandoned one was cancelled).
  if (intent?.status === "requires_action") {
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    intent.latest_charge = id("ch");
    intent.next_action = null;
    return json(200, intent);
  }
  return json(404, { error: "unknown fake control" });
}

async function answer(request: Request, url: URL, params: Record<string, string>, idempotencyKey: string | null): Promise<Response> {
  if (request.method === "POST" && url.pathname === "/v1/test_helpers/confirmation_tokens") {
    return createConfirmationToken(params.payment_method ?? "");
  }
  if (request.method === "POST" && url.pathname === "/v1/payment_intents") return createIntent(params, idempotencyKey);
  const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(url.pathname);
  if (request.method === "POST" && cancel?.[1]) return cancelIntent(cancel[1], params);
  if (request.method === "GET" && url.pathname === "/v1/payment_intents/search") return searchIntents(url.searchParams.get("query") ?? "");
  if (request.method === "POST" && url.pathname === "/v1/refunds") return createRefund(params);
  return stripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${url.pathname}).` });
}

/** The fake's entry: an outboundService handler for api.stripe.com. */
export async function fakeStripe(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/__fake/")) return control(url);
  // The one call a publishable key may make: Stripe.js creating a ConfirmationToken.
  // Stripe.js sends the key as `key` in its form body.
  if (request.method === "POST" && url.pathname === "/v1/confirmation_tokens") {
    const params = Object.fromEntries(new URLSearchParams(await request.text()));
    const key = params.key ?? request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (!key.startsWith("pk_test_")) return stripeError(401, { type: "invalid_request_error", message: "Invalid API Key provided." });
    requests.push({ host: url.host, method: request.method, path: url.pathname, idempotencyKey: null, params: { card: "[redacted]" } });
    return createConfirmationTokenFromCard(params);
  }
  if (!/^Bearer sk_(test|live)_/.test(request.headers.get("authorization") ?? "")) {
    return stripeError(401, { type: "invalid_request_error", message: "Invalid API Key provided." });
  }
  const params = Object.fromEntries(new URLSearchParams(request.method === "POST" ? await request.text() : url.search));
  const idempotencyKey = request.headers.get("idempotency-key");
  requests.push({ host: url.host, method: request.method, path: url.pathname, idempotencyKey, params });
  // Stripe replays the saved first answer for a key it has seen (the SDK's retries rely on it);
  // the fake saves only answers it finished, as a 500 before the API ran would not be saved.
  const replayKey = idempotencyKey ? `${url.pathname} ${idempotencyKey}` : null;
  const saved = replayKey ? replays.get(replayKey) : undefined;
  if (saved)
    return new Response(saved.body, {
      status: saved.status,
      headers: { "content-type": "application/json", "idempotent-replayed": "true" },
    });
  const response = await answer(request, url, params, idempotencyKey);
  if (replayKey && response.status < 500) replays.set(replayKey, { status: response.status, body: await response.clone().text() });
  return response;
}
