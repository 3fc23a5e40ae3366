// A local `wrangler dev` for the Node-side harnesses (the browser tests, the documentation run):
// started in its own process group with its own state and vars file, ready when /readyz and the
// app's page answer, stopped with everything it started (npx, wrangler and workerd).
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";

export interface WranglerDevOptions {
  port: number;
  /** --persist-to: the local D1/KV/DO state this server uses. */
  state: string;
  /** --env-file: the secrets and vars of this run. */
  varsFile: string;
  /** Where wrangler's output goes (read back when it fails to start). */
  logFile: string;
  cwd?: string;
  readyWithinMs?: number;
}

export interface WranglerDev {
  url: string;
  stop(): Promise<void>;
}

export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const { port, state, varsFile, logFile, cwd, readyWithinMs = 90_000 } = options;
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
  const log = openSync(logFile, "w");
  const child = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--env-file",
      varsFile,
      "--show-interactive-dev-session=false",
    ],
    { cwd, env, stdio: ["ignore", log, log], detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      // The whole process group: npx, wrangler and workerd.
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    }
    try {
      // The app's page, as a browser asks for it (worker/app-pages.ts serves pages to navigations).
      const [ready, app] = await Promise.all([fetch(`${url}/readyz`), fetch(url, { headers: { accept: "text/html" } })]);
      if (ready.ok && app.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev was not ready in ${readyWithinMs / 1000} s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
