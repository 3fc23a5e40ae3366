// The web app's documents (index.html for every client-side route), served through the Worker so
// their Content-Security-Policy can follow the payment provider: Stripe's sources only with Stripe.
import { Hono } from "hono";
import { readConfig } from "../lib/config";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

/** What the app itself needs: its own scripts, styles and API, images from itself and data: URLs. */
const APP_POLICY = {
  "default-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/**
 * Stripe's documented sources for Stripe.js and Elements (docs.stripe.com/security/guide, "Content
 * Security Policy"): the script, the Elements and 3-D Secure frames, and the API the Payment
 * Element calls. Not maps.googleapis.com, which only the Address Element's autocomplete needs.
 */
const STRIPE_POLICY = {
  "script-src": ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"],
  "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
  "connect-src": ["'self'", "https://api.stripe.com"],
};

const serialise = (policy: Record<string, string[]>) =>
  Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(" ")}`)
    .join("; ");

export const APP_CSP = serialise(APP_POLICY);
export const APP_CSP_WITH_STRIPE = serialise({ ...APP_POLICY, ...STRIPE_POLICY });

// The Worker's own routes: an unknown path under one of them is the API's JSON 404, never the app.
const WORKER_ROUTES = /^\/(api|trpc|webhooks|dev|exports|images|uploads|healthz|readyz)(\/|$)/;

/**
 * A browser asking for a page: navigations always accept text/html. Anything else (an API client,
 * a script) gets the JSON 404 of an unknown route, as before the documents ran the Worker. The
 * only file at the root of the build is index.html; another one there would need its own `!`
 * rule in run_worker_first.
 */
const wantsPage = (accept: string | undefined) => accept?.includes("text/html") === true;

export const appPages = new Hono<AppEnv>().get("*", async (c) => {
  if (WORKER_ROUTES.test(c.req.path) || !wantsPage(c.req.header("accept"))) {
    return errorResponse(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`);
  }
  // The asset layer answers as it would have (index.html for client-side routes); only the
  // policy is ours. Set here, the chain's default-src 'none' (secureHeaders, no overwrite) stays off.
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  const page = new Response(asset.body, asset);
  page.headers.set("content-security-policy", readConfig(c.env).payments.provider === "stripe" ? APP_CSP_WITH_STRIPE : APP_CSP);
  return page;
});
