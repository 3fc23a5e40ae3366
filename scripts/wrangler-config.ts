// wrangler.toml as written (no defaults applied), read with wrangler's own parser, for the Node
// code that needs it (the bench's build, the tests of production's [vars] and of [assets]).
import { experimental_readRawConfig } from "wrangler";

/** The part of the raw config we read. */
export interface RawWranglerConfig {
  main?: string;
  vars?: Record<string, unknown>;
  assets?: { run_worker_first?: boolean | string[] };
  [key: string]: unknown;
}

// wrangler's declarations re-export this from @cloudflare/workers-utils, a package wrangler bundles
// but does not install, so its declared type does not resolve here.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the unresolved type, given the shape we use
const read: (args: { config: string }) => { rawConfig: RawWranglerConfig } = experimental_readRawConfig;

export const readRawConfig = (path: string): RawWranglerConfig => read({ config: path }).rawConfig;
