// The OpenAPI 3.1 document of the REST API (/api/v1), generated from the procedures' zod schemas
// and `meta.openapi`, and the list of procedures that are deliberately tRPC-only.
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import * as z from "zod";
import { REFUSAL_REASONS } from "../domain/refusals";
import { appRouter } from "./index";
import { REST_BASE } from "./rest-routes";

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
  // The back office (issue 15): admin screens, not part of the public REST API.
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
  "admin.sales.discountUsage",
];

const ErrorBody = z.object({
  message: z.string().describe("What went wrong, for a person."),
  code: z.string().describe("The error code, as in tRPC: BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, PRECONDITION_FAILED, TOO_MANY_REQUESTS…"),
  data: z
    .object({
      code: z.string(),
      httpStatus: z.number().int(),
      path: z.string().optional(),
      requestId: z.string().optional().describe("Also in the x-request-id header; quote it when reporting a problem."),
      issues: z
        .array(z.object({ path: z.string(), message: z.string(), code: z.string() }))
        .optional()
        .describe("Per-field problems when the input failed validation."),
      reason: z
        .enum(["unparsable_input", ...REFUSAL_REASONS])
        .optional()
        .describe("Why a business rule refused the call."),
    })
    .optional(),
  issues: z
    .array(z.looseObject({ message: z.string() }))
    .optional()
    .describe("The raw validation issues (use data.issues)."),
});

const DESCRIPTION = `The Storefront API as plain JSON over HTTP: the same procedures, authentication, rate limits,
error codes and request ids as the tRPC API at /trpc, without superjson. Dates are ISO 8601 strings
in UTC (\`2026-12-01T10:00:00.000Z\`); money is an integer of minor units (\`priceCents\`, with \`currency\`).

Sign in with POST ${REST_BASE}/auth/signup or /auth/login and send the access token as
\`Authorization: Bearer <token>\`; renew it with POST ${REST_BASE}/auth/refresh and the refresh token in
the body. Every response carries \`x-request-id\`; rate-limited calls answer 429 with \`Retry-After\`
and report \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`. Errors are
\`{ message, code, data: { code, httpStatus, requestId, issues?, reason? } }\`.`;

const errorResponse = { $ref: "#/components/responses/Error" };

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
  // One error shape for every status instead of the generator's per-status guesses (which lack
  // `data`, and so the reason and request id clients rely on).
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      const operation = item[method];
      if (!operation?.responses) continue;
      const success: unknown = operation.responses["200"];
      operation.responses = { "200": success, default: errorResponse };
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith("error."));
  document.components = {
    ...document.components,
    schemas: Object.fromEntries(schemas),
    responses: {
      Error: {
        description:
          "An error: 4xx for a refused call (400 invalid input, 401 not signed in, 404 not found, 409 conflict, " +
          "412/422 a business rule refused, 413 body too large, 415 not JSON, 429 rate limited), 5xx for our side.",
        headers: {
          "Retry-After": { description: "On 429: seconds to wait.", schema: { type: "integer" } },
          "x-request-id": { description: "The request id, also in data.requestId.", schema: { type: "string" } },
        },
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    },
  };
  return document;
}
