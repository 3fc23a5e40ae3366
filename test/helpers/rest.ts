// A REST client as an outsider builds it: openapi-fetch typed by openapi-typescript's output for
// the checked-in document, talking to the Worker over SELF.fetch; every response it receives is
// validated against that document (@cfworker/json-schema: no eval, so it runs inside workerd).
import { SELF } from "cloudflare:test";
import { Validator } from "@cfworker/json-schema";
import createClient from "openapi-fetch";
import document from "../../openapi/openapi.json";
import type { paths } from "../../openapi/schema";
import { uniqueIp } from "./client";

export const REST_URL = "http://storefront.test/api/v1";
const DOCUMENT_ID = "https://storefront.test/api/v1/openapi.json";

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

const validate = (target: string, body: unknown) => {
  const validator = new Validator({ $ref: `${DOCUMENT_ID}#/${target}` }, "2020-12", false);
  validator.addSchema(document, DOCUMENT_ID);
  const result = validator.validate(body);
  return result.valid ? [] : result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
};

const declaredStatuses = (schemaPath: string, method: string): string[] => {
  const item: Record<string, { responses?: Record<string, unknown> } | undefined> | undefined = (
    document.paths as Record<string, Record<string, { responses?: Record<string, unknown> } | undefined> | undefined>
  )[schemaPath];
  return Object.keys(item?.[method.toLowerCase()]?.responses ?? {});
};

/**
 * Validates a response against the document, as a validating proxy would: its status must be one
 * the operation declares, and its body the schema declared for that status.
 */
export function responseProblems(schemaPath: string, method: string, status: number, body: unknown): string[] {
  if (!declaredStatuses(schemaPath, method).includes(String(status)))
    return [`status ${status} is not declared for ${method} ${schemaPath}`];
  return validate(
    pointer("paths", schemaPath, method.toLowerCase(), "responses", String(status), "content", "application/json", "schema"),
    body,
  );
}

/** Validates an error body against the Error schema (for answers outside any operation: unknown paths, 405). */
export const errorProblems = (body: unknown) => validate("components/schemas/Error", body);

/** Every response the REST client saw, with what the document said about it. */
export interface Seen {
  method: string;
  schemaPath: string;
  status: number;
  requestId: string | null;
  problems: string[];
}

export function restClient(options: { ip?: string; token?: () => string | undefined } = {}) {
  const seen: Seen[] = [];
  const client = createClient<paths>({
    baseUrl: REST_URL,
    fetch: (request) => SELF.fetch(request),
    headers: { "cf-connecting-ip": options.ip ?? uniqueIp() },
  });
  client.use({
    onRequest({ request }) {
      const token = options.token?.();
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
    async onResponse({ request, response, schemaPath }) {
      const body: unknown = await response.clone().json();
      seen.push({
        method: request.method,
        schemaPath,
        status: response.status,
        requestId: response.headers.get("x-request-id"),
        problems: responseProblems(schemaPath, request.method, response.status, body),
      });
    },
  });
  return { client, seen };
}
