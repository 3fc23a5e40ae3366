// The static checks of `npm test`, run side by side: each is mostly one process on one core, so on
// a 2-core machine the type-aware lint (the longest) overlaps the type check, the format check and
// the stale-types check instead of waiting for them. Each check's output is printed whole when it
// ends (not interleaved); any failure fails the run, after all have finished.
import { spawn } from "node:child_process";

const CHECKS = ["typecheck", "lint", "format:check", "cf-typegen:check"];

const run = (script: string) =>
  new Promise<boolean>((resolve) => {
    const started = performance.now();
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("close", (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (code === 0) console.log(`✓ ${script} (${seconds} s)`);
      else console.error(`✗ ${script} failed (exit ${code}, ${seconds} s):\n${output}`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(CHECKS.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
