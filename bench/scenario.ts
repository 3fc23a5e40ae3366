// What a scenario module gives the runner (bench/run.ts): the id BENCH_ONLY names it by, and its run.
import type { BenchContext } from "./setup.ts";

export interface BenchScenario {
  /** BENCH_ONLY's name for it ("1b", the drift check, runs with "1"). */
  id: string;
  /** Whether it runs in this invocation; by default when BENCH_ONLY is unset or names `id`. */
  when?: () => boolean;
  run(ctx: BenchContext): Promise<void>;
}
