// The spike behind `npm run bench:feed` (bench/feed.ts): idle subscribers on one order feed, fanned
// out three ways (the live-updates design question). Not app code.
//
//   relay   the design before: a StreamFeed object (below, the former worker/order-feed.ts) holds
//           one open stream per subscriber and writes a newline to each on notify; the Worker
//           holds one SSE response per subscriber and reads the stream.
//   ws-sse  production's design: the OrderFeed object (worker/order-feed.ts) accepts a WebSocket
//           per subscriber with ctx.acceptWebSocket(); the Worker holds one SSE response per
//           subscriber and relays from the WebSocket, through listen()
//           (services/order-updates.ts), as router/live.ts does.
//   ws      the client's own WebSocket handed straight to the OrderFeed object; the Worker keeps
//           nothing once the upgrade is answered.
// Neither SSE design reads D1 on a wake-up here: that part is the same whichever fans out.
//
//   GET  /sub/<design>?feed=      subscribe (SSE for relay and ws-sse, a WebSocket upgrade for ws)
//   POST /notify/<design>?feed=   wake every subscriber; answers { sent, constructedAt }
//
// Worker code, so type-checked with the Worker's tsconfig.json; esbuild bundles it.
import { DurableObject } from "cloudflare:workers";
import { orderFeeds, type WakeUps } from "../services/order-updates";
import { OrderFeed } from "../worker/order-feed";

/** What a notify answers: how many subscribers it reached, and when the instance was made. */
export interface NotifyResult {
  sent: number;
  /** Changes only when the runtime has evicted the object and built it again (null: not known). */
  constructedAt: number | null;
}

/** Production's OrderFeed, telling when it was constructed (a hibernation shows as a new time). */
export class WebSocketFeed extends OrderFeed {
  #constructedAt = Date.now();
  constructedAt(): number {
    return this.#constructedAt;
  }
}

const NEWLINE = new TextEncoder().encode("\n");

/** worker/order-feed.ts before the WebSocket change, as it was. */
export class StreamFeed extends DurableObject {
  #listeners = new Set<WritableStreamDefaultWriter<Uint8Array>>();

  override fetch(request: Request): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    this.#listeners.add(writer);
    request.signal.addEventListener("abort", () => this.#drop(writer));
    return new Response(readable, { headers: { "content-type": "text/plain" } });
  }

  notify(): number {
    for (const writer of this.#listeners) writer.write(NEWLINE).catch(() => this.#drop(writer));
    return this.#listeners.size;
  }

  #drop(writer: WritableStreamDefaultWriter<Uint8Array>) {
    this.#listeners.delete(writer);
    writer.close().catch(() => {});
  }
}

interface FeedEnv {
  RELAY_FEED: DurableObjectNamespace<StreamFeed>;
  WS_FEED: DurableObjectNamespace<WebSocketFeed>;
}

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-store" };
const encoder = new TextEncoder();

/** An SSE response writing `data: wake` for each wake-up, until either side goes. */
function sse(signal: AbortSignal, wake: WakeUps): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  signal.addEventListener("abort", () => wake.cancel());
  void (async () => {
    try {
      await writer.write(encoder.encode(": open\n\n"));
      while (await wake.next()) await writer.write(encoder.encode("data: wake\n\n"));
    } catch {
      // the client went
    } finally {
      wake.cancel();
      await writer.close().catch(() => {});
    }
  })();
  return new Response(readable, { headers: SSE_HEADERS });
}

/** The relay's listen(): what services/order-updates.ts did before the WebSocket change. */
async function listenToStream(env: FeedEnv, feed: string, signal: AbortSignal): Promise<WakeUps> {
  const response = await env.RELAY_FEED.getByName(feed).fetch("https://order-feed/listen", { signal });
  if (!response.body) throw new Error("order feed answered without a stream");
  const reader = response.body.getReader();
  return {
    next: async () => !(await reader.read()).done,
    cancel: () => void reader.cancel().catch(() => {}),
  };
}

async function subscribe(request: Request, env: FeedEnv, design: string, feed: string): Promise<Response> {
  if (design === "relay") return sse(request.signal, await listenToStream(env, feed, request.signal));
  if (design === "ws-sse") return sse(request.signal, await orderFeeds(env.WS_FEED).listen(feed, request.signal));
  if (design === "ws") return env.WS_FEED.getByName(feed).fetch(request);
  return new Response("unknown design", { status: 404 });
}

async function notify(env: FeedEnv, design: string, feed: string): Promise<NotifyResult> {
  if (design === "relay") return { sent: await env.RELAY_FEED.getByName(feed).notify(), constructedAt: null };
  const stub = env.WS_FEED.getByName(feed);
  return { sent: await stub.notify(), constructedAt: await stub.constructedAt() };
}

export default {
  async fetch(request: Request, env: FeedEnv): Promise<Response> {
    const url = new URL(request.url);
    const [, action, design = ""] = url.pathname.split("/");
    const feed = url.searchParams.get("feed") ?? "bench";
    if (action === "sub") return subscribe(request, env, design, feed);
    if (action === "notify" && request.method === "POST") return Response.json(await notify(env, design, feed));
    return new Response("not found", { status: 404 });
  },
};
