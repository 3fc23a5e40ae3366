// Bundles @storefront/client as a frontend would ship it (esbuild, ESM, browser, minified). One
// definition for the test that keeps server code out of it and for the benchmark's size figure.
import { join, resolve } from "node:path";
import { build } from "esbuild";

/** The bundle (one file) and esbuild's metafile, which says what went into it. */
export async function bundleClient() {
  const { outputFiles, metafile } = await build({
    entryPoints: [join(resolve(import.meta.dirname, ".."), "client", "src", "index.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
  });
  const [output, ...more] = outputFiles;
  if (!output || more.length > 0) throw new Error(`client bundle: expected one output file, got ${outputFiles.length}`);
  return { output, metafile };
}
