// The bench's static measurements: bundle sizes and what they are made of, Argon2id in Node as a
// reference, and the versions and machine a report names.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import setupWasm from "argon2id/lib/setup.js";
import { build } from "esbuild";
import { CURRENT_PARAMS, SALT_BYTES, formatPhc } from "../domain/phc.ts";
import { bundleClient } from "../scripts/client-bundle.ts";
import { ROOT, WORKER_BUILD } from "./runtime.ts";

const env = process.env;
export const gzip = (b: Buffer | Uint8Array) => gzipSync(b).length;

export async function clientBundle() {
  const { output, metafile } = await bundleClient();
  const code = Buffer.from(output.contents);
  return { bytes: code.length, gzipBytes: gzip(code), byPackage: byPackage(metafile) };
}

/** Where a bundle's bytes come from, by npm package (or "app" for our own code). */
function byPackage(metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }) {
  const sizes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m?.[1] ?? "app";
      sizes[key] = (sizes[key] ?? 0) + bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(sizes).sort((a, b) => b[1] - a[1]));
}

/** The Worker's composition, from an esbuild bundle of worker/index.ts like wrangler's. */
export async function workerComposition() {
  const result = await build({
    ...WORKER_BUILD,
    entryPoints: [join(ROOT, "worker", "index.ts")],
    external: ["cloudflare:*", "node:*", "*.wasm"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return byPackage(result.metafile);
}

const require = createRequire(import.meta.url);
export async function argon2idNode(password: string) {
  const wasm = (file: string) => (imports: WebAssembly.Imports) =>
    WebAssembly.instantiate(readFileSync(require.resolve(`argon2id/dist/${file}`)), imports);
  const argon2id = await setupWasm(wasm("simd.wasm"), wasm("no-simd.wasm"));
  const hash = (password: string) => {
    const salt = randomBytes(SALT_BYTES);
    return formatPhc(CURRENT_PARAMS, salt, argon2id({ password: new TextEncoder().encode(password), salt, ...CURRENT_PARAMS }));
  };
  hash("warm-up");
  const n = 10;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) hash(`password-${i}`);
  return { phc: hash(password), msPerHash: (performance.now() - t0) / n };
}

export function versions() {
  const v = (cmd: string, args: string[]) => {
    try {
      const output = execFileSync(cmd, args, { env: { ...env, WRANGLER_SEND_METRICS: "false" } }).toString();
      return output.trim().split("\n")[0] ?? "";
    } catch {
      return "unknown";
    }
  };
  const pkg = (name: string) => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  return {
    node: process.version,
    wrangler: pkg("wrangler"),
    miniflare: pkg("miniflare"),
    workerd: v(join(ROOT, "node_modules", ".bin", "workerd"), ["--version"]),
    autocannon: pkg("autocannon"),
    esbuild: pkg("esbuild"),
  };
}

export function machine() {
  const sh = (cmd: string) => {
    try {
      return execFileSync("sh", ["-c", cmd]).toString().trim();
    } catch {
      return "unknown";
    }
  };
  return {
    nproc: sh("nproc"),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    freeH: sh("free -h | sed -n 2p"),
    kernel: sh("uname -sr"),
  };
}
