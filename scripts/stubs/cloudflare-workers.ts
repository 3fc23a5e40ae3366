// Node stand-in for `cloudflare:workers` while scripts/openapi.ts builds the OpenAPI document:
// the modules it loads import `tracing` (spans), which never runs while the document is built.
type Span = { setAttribute(name: string, value: unknown): void };
const span: Span = { setAttribute: () => {} };
export const tracing = {
  enterSpan: <T>(_name: string, callback: (span: Span) => T): T => callback(span),
};
export class DurableObject {}
