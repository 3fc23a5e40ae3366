// wrangler.toml as written (no defaults applied), read with wrangler's own parser, for the Node
// code that needs it (the bench's build, the tests of production's [vars] and of [assets]).
import { experimental_readRawConfig, type Unstable_RawConfig } from "wrangler";

/** wrangler.toml's fields as wrangler declares them, before defaults. */
export type RawWranglerConfig = Unstable_RawConfig;

export const readRawConfig = (path: string): RawWranglerConfig => experimental_readRawConfig({ config: path }).rawConfig;
