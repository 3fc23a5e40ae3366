// Build-time stand-in for `co-body` (wrangler.toml [alias], vitest config): trpc-to-openapi's fetch
// adapter parses the body itself and never calls it, and the real one pulls in Node streams.
export default function parse(): never {
  throw new Error("co-body is not available on Workers; the fetch adapter parses request bodies.");
}
