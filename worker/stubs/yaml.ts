// Build-time stand-in for `yaml` (wrangler.toml [alias], vitest config): openapi3-ts imports it
// for YAML output, which this Worker never produces (the document is served as JSON).
const unavailable = (): never => {
  throw new Error("YAML is not available in this Worker; the OpenAPI document is served as JSON.");
};
export const parse = unavailable;
export const stringify = unavailable;
export default { parse, stringify };
