// Scenario 8: `auth.login` (Argon2id) under load, then one login's CPU measured one call at a time.
import { trpc, type Call } from "../calls.ts";
import { PASSWORD, SMOKE, log, measure } from "../harness.ts";
import { present } from "../present.ts";
import { workerdCpuMs } from "../runtime.ts";
import type { BenchScenario } from "../scenario.ts";

export const login: BenchScenario = {
  id: "8",
  run: async (ctx) => {
    const { rt, benchUsers, tokens, runId, argon } = ctx;
    const loginUsers = benchUsers.map((u) => ({ email: u.email, password: u.password }));
    const s = await measure(
      rt,
      "8",
      "auth.login (Argon2id)",
      { kind: "login", users: loginUsers, ipBase: 20, ipPool: 4096 },
      { warmup: false },
    );
    // Scenario 9 reuses these sessions instead of signing its users in again.
    for (const [email, token] of Object.entries(s.result.extra.tokens as Record<string, string>)) tokens.set(email, token);
    delete s.result.extra.tokens;

    // CPU per call, measured sequentially (one call in flight) from workerd's own CPU time.
    const n = SMOKE ? 8 : 30;
    const seq = async (label: string, make: (i: number) => Promise<Call>) => {
      await make(-1);
      const cpu0 = workerdCpuMs(rt);
      let ms = 0;
      for (let i = 0; i < n; i++) ms += (await make(i)).ms;
      return { label, cpuMs: (workerdCpuMs(rt) - cpu0) / n, latencyMs: ms / n };
    };
    const real = await seq("login", (i) => {
      const user = present(benchUsers[(i + benchUsers.length) % benchUsers.length], "bench user");
      return trpc(rt, "auth.login", { email: user.email, password: PASSWORD }, { mutation: true });
    });
    const rejected = await seq("login rejected by input validation", (i) =>
      trpc(rt, "auth.login", { email: `nobody${i}-${runId}@bench.local`, password: "" }, { mutation: true }),
    );
    ctx.loginCpu = {
      loginCpuMs: real.cpuMs,
      loginLatencyMs: real.latencyMs,
      rejectedCpuMs: rejected.cpuMs,
      rejectedLatencyMs: rejected.latencyMs,
      hashAndSessionCpuMs: real.cpuMs - rejected.cpuMs,
      argon2idNodeMs: argon.msPerHash,
      samples: n,
    };
    s.notes = [
      `CPU per login ${real.cpuMs.toFixed(1)} ms (workerd process CPU, ${n} sequential logins); the same request refused by input validation costs ${rejected.cpuMs.toFixed(1)} ms, so hashing + token + session ≈ ${(real.cpuMs - rejected.cpuMs).toFixed(1)} ms; Argon2id alone in Node: ${argon.msPerHash.toFixed(1)} ms`,
    ];
    log(s.notes[0]);
  },
};
