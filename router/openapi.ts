// The OpenAPI 3.1 document of the REST API (/api/v1), generated from the procedures' zod schemas
// and `meta.openapi`, and the list of procedures that are deliberately tRPC-only.
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { appRouter } from "./index";
import { ErrorBody } from "./error-shape";
import { REST_BASE, restRoutes, type RestRoute } from "./rest-routes";

export { REST_BASE };

/**
 * Procedures without REST metadata, on purpose: the back office is served to the bundled admin UI
 * over tRPC only, and subscriptions are tRPC's. A procedure missing from both this list and REST fails test/rest.test.ts.
 */
export const TRPC_ONLY: readonly string[] = [
  // Subscriptions (server-sent events) have no place in OpenAPI 3.
  "orders.onUpdate",
  "admin.orders.onUpdate",
  "admin.products.create",
  "admin.variants.get",
  "admin.variants.save",
  "admin.variants.setStock",
  "admin.products.update",
  "admin.products.archive",
  "admin.products.setStock",
  "admin.products.get",
  "admin.discounts.create",
  "admin.discounts.list",
  "admin.discounts.disable",
  "admin.orders.list",
  "admin.orders.setStatus",
  "admin.users.setRole",
  // The back office: admin screens, not part of the public REST API.
  "admin.products.list",
  "admin.products.restore",
  "admin.products.images",
  "admin.products.removeImage",
  "admin.orders.get",
  "admin.users.find",
  "admin.users.get",
  "admin.sales.daily",
  "admin.sales.summary",
  "admin.sales.topProducts",
  "admin.sales.topVariants",
  "admin.sales.discountUsage",
];

const DESCRIPTION = `The Storefront API as plain JSON over HTTP: the same procedures, authentication, rate limits,
error codes and request ids as the tRPC API at /trpc, without superjson. Dates are ISO 8601 strings
in UTC (\`2026-12-01T10:00:00.000Z\`); money is an integer of minor units (\`priceCents\`, with \`currency\`).

Sign in with POST ${REST_BASE}/auth/signup or /auth/login and send the access token as
\`Authorization: Bearer <token>\`; renew it with POST ${REST_BASE}/auth/refresh and the refresh token in
the body. Every response carries \`x-request-id\`; rate-limited calls answer 429 with \`Retry-After\`
and report \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`.

Input is read as strictly as over tRPC: a JSON body is never coerced (\`"2"\` is not a quantity), and a
query parameter is an integer only as a plain decimal (\`5\`, not \` 5\`, \`0x10\`, \`1e2\` or \`5.0\`).

Every error, here and over tRPC, is \`{ message, code, data: { code, httpStatus, path?, requestId, issues?, reason? } }\`
(the Error schema): \`issues\` is present exactly when the input failed validation, \`reason\` exactly when a
business rule refused the call (a closed set) or the input could not be read at all (\`unparsable_input\`).
Each operation lists every status it can answer. An unknown path under /api is 404; a known path with
another method is 405 with \`Allow\`; HEAD answers as GET without the body.`;

type Responses = Record<string, unknown>;

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
const REQUEST_ID_HEADER = { description: "The request id, also in data.requestId.", schema: { type: "string" } };

// What any operation of a kind can answer, whatever its own rules (router/rest-routes.ts and the
// procedure builders decide these; an operation's meta.openapi.refusals adds its own or says more).
const INVALID_INPUT =
  "Invalid input: `data.issues` names each field. A body that is not JSON, or a path with a malformed escape, is `data.reason = unparsable_input`.";
const NO_TOKEN = "No valid access token (missing, expired, tampered or revoked): sign in again, or renew it with POST /auth/refresh.";
const LIMITED = "Rate limited: Retry-After says in how many seconds to try again.";
const UNAVAILABLE = "Temporarily unavailable (the database or the rate limiter did not answer); try again shortly.";
const INTERNAL = "Something went wrong on our side; the message quotes the request id.";

/** Every status the operation can answer besides 200, each with why and the Error schema. */
function errorResponses(route: RestRoute): Responses {
  const reasons = new Map<number, string>();
  const body = route.method !== "GET";
  if (route.takesInput) reasons.set(400, INVALID_INPUT);
  if (route.meta.protect) reasons.set(401, NO_TOKEN);
  if (route.rateLimited) reasons.set(429, LIMITED);
  if (body) {
    reasons.set(413, "The body is over the size limit.");
    reasons.set(415, "The body is not application/json.");
  }
  reasons.set(503, UNAVAILABLE);
  for (const [status, why] of Object.entries(route.meta.refusals ?? {})) {
    const known = reasons.get(Number(status));
    reasons.set(Number(status), known && Number(status) === 400 ? `${known} ${why}` : why);
  }
  reasons.set(500, INTERNAL);
  const responses: Responses = {};
  for (const [status, description] of [...reasons].sort(([a], [b]) => a - b)) {
    const headers: Record<string, unknown> = { "x-request-id": REQUEST_ID_HEADER };
    if (status === 429) headers["Retry-After"] = { description: "Seconds to wait.", schema: { type: "integer" } };
    responses[String(status)] = { description, headers, content: errorContent };
  }
  return responses;
}

/** Builds the document (once per isolate: callers keep it). */
export function buildOpenApiDocument(): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Storefront API",
    version: "1.0.0",
    baseUrl: REST_BASE,
    description: DESCRIPTION,
    securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    tags: ["catalog", "reviews", "auth", "cart", "checkout", "orders"],
    defs: { Error: ErrorBody },
  });
  // Each operation lists every status it can answer, all in the one error shape, instead of the
  // generator's per-status guesses (which lack `data`, and so the reason and request id).
  for (const route of restRoutes()) {
    const operation = document.paths?.[route.template]?.[lowerMethod(route.method)];
    if (!operation?.responses) continue;
    const success: unknown = operation.responses["200"];
    operation.responses = { "200": success, ...errorResponses(route) };
  }
  const schemas = Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error."));
  document.components = { ...document.components, schemas: Object.fromEntries(schemas) };
  return document;
}

const lowerMethod = (method: RestRoute["method"]) => method.toLowerCase() as "get" | "post" | "patch" | "put" | "delete";
