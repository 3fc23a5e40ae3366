// The bench's calls to the Worker outside the load runs (setup, probes, the race): tRPC over fetch
// with a rotating client address, logins, and a bounded pool of concurrent calls.
import { performance } from "node:perf_hooks";
import type { Runtime } from "./runtime.ts";

export interface Call {
  status: number;
  body: unknown;
  serverTiming: string | null;
  ms: number;
}
let setupIp = 0;
export async function trpc(
  rt: Runtime,
  procedure: string,
  input: unknown,
  opts: { token?: string; mutation?: boolean; ip?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip ?? `10.250.${(setupIp >> 8) & 255}.${setupIp++ & 255}` };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const t0 = performance.now();
  let response: Response;
  if (opts.mutation) {
    headers["content-type"] = "application/json";
    response = await fetch(`${rt.url}/trpc/${procedure}`, { method: "POST", headers, body: JSON.stringify({ json: input }) });
  } else {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    response = await fetch(`${rt.url}/trpc/${procedure}${query}`, { headers });
  }
  const text = await response.text();
  const ms = performance.now() - t0;
  let body: unknown = text;
  try {
    const parsed = JSON.parse(text) as { result?: { data?: { json?: unknown } } };
    body = parsed.result?.data?.json ?? parsed;
  } catch {
    // not JSON
  }
  return { status: response.status, body, serverTiming: response.headers.get("server-timing"), ms };
}

export async function ok<T>(call: Promise<Call>, what: string): Promise<T> {
  const c = await call;
  if (c.status !== 200) throw new Error(`${what}: HTTP ${c.status} ${JSON.stringify(c.body).slice(0, 500)}`);
  return c.body as T;
}

export const d1Trips = (serverTiming: string | null) => {
  const m = serverTiming && /desc="(\d+) D1 round trips"/.exec(serverTiming);
  return m ? Number(m[1]) : null;
};

export type AuthResult = { accessToken: string; user: { id: string } };
export const login = (rt: Runtime, email: string, password: string) =>
  ok<AuthResult>(trpc(rt, "auth.login", { email, password }, { mutation: true }), `login ${email}`);

export async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  // One iterator shared by all the workers: each takes the next item when it is free.
  const queue = items.entries();
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      for (const [i, item] of queue) out[i] = await fn(item, i);
    }),
  );
  return out;
}
