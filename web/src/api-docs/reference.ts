// The REST API's reference page (/api/v1/docs): renders the OpenAPI document the Worker serves,
// with no library and nothing from a CDN: operations by tag, their parameters, body and response
// as TypeScript-like shapes. Text from the document is only ever set as text, never as HTML.
import "./reference.css";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The parsed document, typed as JSON without trusting it. */
function toJson(value: unknown): Json {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return null;
}

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});
const str = (value: Json | undefined): string | undefined => (typeof value === "string" ? value : undefined);
const arr = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

let spec: JsonObject = {};

/** Follows local `$ref`s ("#/components/schemas/Error"). */
function resolve(schema: Json | undefined): JsonObject {
  let current = obj(schema);
  for (let hops = 0; hops < 20; hops++) {
    const ref = str(current.$ref);
    if (!ref?.startsWith("#/")) return current;
    let target: Json = spec;
    for (const key of ref.slice(2).split("/")) target = obj(target)[key.replaceAll("~1", "/").replaceAll("~0", "~")] ?? null;
    current = obj(target);
  }
  return current;
}

/** A compact, TypeScript-like rendering of a JSON Schema. */
function shape(schema: Json | undefined, indent = ""): string {
  const s = resolve(schema);
  const alternatives = arr(s.oneOf ?? s.anyOf);
  if (alternatives.length > 0) return alternatives.map((a) => shape(a, indent)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = Array.isArray(s.type) ? s.type : [s.type ?? "unknown"];
  return types
    .map((type) => {
      if (type === "array") return `${shape(s.items, indent)}[]`;
      if (type === "object" && isObject(s.properties)) {
        const inner = `${indent}  `;
        const required = new Set(arr(s.required));
        const lines = Object.entries(s.properties).map(([name, property]) => {
          const description = str(resolve(property).description)?.split("\n")[0]?.slice(0, 100);
          return `${inner}${name}${required.has(name) ? "" : "?"}: ${shape(property, inner)};${description ? `  // ${description}` : ""}`;
        });
        return `{\n${lines.join("\n")}\n${indent}}`;
      }
      if (type === "integer" || type === "number") return "number";
      if (type === "string" && s.format === "date-time") return "string /* ISO 8601 date-time */";
      return typeof type === "string" ? type : JSON.stringify(type);
    })
    .join(" | ");
}

function operation(base: string, path: string, method: string, op: JsonObject): HTMLElement {
  const section = el("section", { class: "op", id: str(op.operationId) ?? `${method}-${path}` });
  const lock = arr(op.security).length > 0 ? el("span", { class: "lock" }, " · needs Authorization: Bearer <access token>") : "";
  section.append(el("h3", {}, el("span", { class: `method ${method}` }, method.toUpperCase()), `${base}${path}`, lock));
  const summary = str(op.summary);
  if (summary) section.append(el("p", {}, summary));
  const parameters = arr(op.parameters).map(obj);
  if (parameters.length > 0) {
    const head = el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, ""), el("th", {}, "type"));
    const rows = parameters.map((p) =>
      el(
        "tr",
        {},
        el("td", {}, el("code", {}, str(p.name) ?? "")),
        el("td", {}, str(p.in) ?? ""),
        el("td", {}, p.required === true ? "required" : "optional"),
        el("td", {}, shape(p.schema)),
      ),
    );
    section.append(el("table", {}, head, ...rows));
  }
  const body = obj(obj(obj(op.requestBody).content)["application/json"]).schema;
  if (body) section.append(el("p", {}, "Body (application/json):"), el("pre", {}, shape(body)));
  const ok = obj(obj(obj(obj(op.responses)["200"]).content)["application/json"]).schema;
  if (ok) section.append(el("p", {}, "200 (application/json):"), el("pre", {}, shape(ok)));
  section.append(el("p", {}, "Otherwise: an ", el("a", { href: "#errors" }, "error"), "."));
  return section;
}

async function render(main: HTMLElement, toc: HTMLElement) {
  const response = await fetch("/api/v1/openapi.json");
  spec = obj(toJson(await response.json()));
  const base = str(obj(arr(spec.servers)[0]).url) ?? "";
  main.replaceChildren(el("p", { class: "desc" }, str(obj(spec.info).description) ?? ""));
  const byTag = new Map<string, HTMLElement[]>();
  for (const [path, item] of Object.entries(obj(spec.paths))) {
    for (const [method, op] of Object.entries(obj(item))) {
      const tag = str(arr(obj(op).tags)[0]) ?? "other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(base, path, method, obj(op))]);
    }
  }
  for (const [tag, sections] of byTag) {
    main.append(el("h2", { id: `tag-${tag}` }, tag), ...sections);
    toc.append(el("a", { href: `#tag-${tag}` }, tag));
  }
  const error = obj(obj(obj(spec.components).responses).Error);
  main.append(
    el("h2", { id: "errors" }, "errors"),
    el("p", { class: "desc" }, str(error.description) ?? ""),
    el("pre", {}, shape({ $ref: "#/components/schemas/Error" })),
  );
  toc.append(el("a", { href: "#errors" }, "errors"));
}

const main = document.getElementById("reference");
const toc = document.getElementById("toc");
if (main && toc) {
  render(main, toc).catch((error: unknown) => {
    main.textContent = `Could not load the document: ${String(error)}`;
  });
}
