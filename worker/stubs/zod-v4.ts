// Build-time stand-in for `zod/v4` (wrangler.toml [alias], vitest config): trpc-to-openapi does
// `import { z } from "zod/v4"`, which keeps every zod export (locales, JSON-schema import…) in the
// bundle, about 80 KiB gzipped. The same zod, with `z` narrowed to what that package calls.
import { array, coerce, number, object, string, void as voidType } from "zod";

export * from "zod";
export const z = { array, coerce, number, object, string, void: voidType };
