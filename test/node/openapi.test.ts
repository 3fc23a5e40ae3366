// The REST API's OpenAPI document: valid OpenAPI 3.1 (checked by @readme/openapi-parser, the
// validator behind ReadMe's API registry), and its checked-in copy and generated types are fresh.
import { readFileSync } from "node:fs";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { DOCUMENT_FILE, generateDocument, generateTypes, serialiseDocument, TYPES_FILE } from "../../scripts/openapi.ts";

describe("openapi/openapi.json", () => {
  it("is what router/openapi.ts generates now, and its types are openapi-typescript's (run `npm run openapi`)", async () => {
    const document = await generateDocument();
    expect(readFileSync(DOCUMENT_FILE, "utf8")).toBe(serialiseDocument(document));
    expect(readFileSync(TYPES_FILE, "utf8")).toBe(await generateTypes(document));
  }, 60_000);

  it("is a valid OpenAPI 3.1 document", async () => {
    const document: unknown = JSON.parse(readFileSync(DOCUMENT_FILE, "utf8"));
    expect(document).toMatchObject({ openapi: "3.1.0" });
    const result = await validate(DOCUMENT_FILE, { validate: { errors: { colorize: false } } });
    expect(result.valid ? "valid" : compileErrors(result)).toBe("valid");
    expect(result.warnings).toEqual([]);
  });

  it("documents every error as the one Error shape, and dates as ISO strings", () => {
    const text = readFileSync(DOCUMENT_FILE, "utf8");
    type Response = { content?: { "application/json"?: { schema?: unknown } } };
    const document = JSON.parse(text) as { paths: Record<string, Record<string, { responses: Record<string, Response> }>> };
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        // Every status it can answer, listed (no catch-all `default`), each error in the Error schema.
        const statuses = Object.keys(operation.responses);
        expect(statuses[0], `${method} ${path}`).toBe("200");
        expect(statuses, `${method} ${path}`).not.toContain("default");
        for (const status of statuses.slice(1)) {
          expect(operation.responses[status]?.content?.["application/json"]?.schema, `${method} ${path} ${status}`).toEqual({
            $ref: "#/components/schemas/Error",
          });
        }
      }
    }
    expect(text).toContain('"format": "date-time"');
  });
});
