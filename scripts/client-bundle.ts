// Bundles @storefront/client as a frontend would ship it (esbuild, ESM, browser, minified). One
// definition for the test that keeps server code out of it and for the benchmark's size figure.
import { join, resolve } from "node:path";
import { build } from "esbuild";

export const bundleClient = () =>
  build({
    entryPoints: [join(resolve(import.meta.dirname, ".."), "client", "src", "index.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
  });
