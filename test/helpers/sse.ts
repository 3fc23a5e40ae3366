// A tRPC subscription read as any SSE client reads it: SELF.fetch of the subscription's URL, its
// events parsed (superjson data), pings and the connection notice skipped.
import { SELF } from "cloudflare:test";
import superjson from "superjson";
import * as z from "zod";

export interface SseEvent {
  id?: string;
  event?: string;
  data?: unknown;
}

/** Opens the subscription; the access token goes in a header, or in tRPC's connection parameters as a browser's EventSource sends it. */
export async function openSubscription(path: string, wire: string, options: { token?: string | null; via?: "header" | "params" } = {}) {
  const { token, via = "header" } = options;
  // A browser's EventSource cannot send headers: @storefront/client puts the token in tRPC's connection parameters.
  const params = token && via === "params" ? `&connectionParams=${encodeURIComponent(JSON.stringify({ accessToken: token }))}` : "";
  const controller = new AbortController();
  const response = await SELF.fetch(`http://storefront.test/trpc/${path}?input=${encodeURIComponent(wire)}${params}`, {
    headers: { ...(token && via === "header" ? { authorization: `Bearer ${token}` } : {}), accept: "text/event-stream" },
    signal: controller.signal,
  });
  const body = response.body;
  if (!body) throw new Error("no stream");
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  /** Everything the stream sent so far, as text. */
  let received = "";
  let reading: Promise<ReadableStreamReadResult<string>> | null = null;

  /** The next event that is not a ping or the connection notice; `{ event: "closed" }` once the stream ends. */
  async function next(): Promise<SseEvent> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split("\n")) {
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data" && value !== "")
            event.data = superjson.deserialize(JSON.parse(value) as Parameters<typeof superjson.deserialize>[0]);
        }
        if (event.event === "ping" || event.event === "connected") continue;
        return event;
      }
      // A read given up by nextWithin is taken up by the next call rather than lost.
      reading ??= reader.read();
      const { value, done } = await reading;
      reading = null;
      if (done) return { event: "closed" };
      buffer += value;
      received += value;
    }
  }

  /** The next event, or null when the stream sends none for `quietMs` (an open subscription with nothing to say). */
  async function nextWithin(quietMs: number): Promise<SseEvent | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quiet = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), quietMs)));
    try {
      return await Promise.race([next(), quiet]);
    } finally {
      clearTimeout(timer);
    }
  }

  return { response, next, nextWithin, received: () => received, close: () => controller.abort() };
}

const ErrorShape = z.object({ data: z.object({ code: z.string(), reason: z.string().optional() }) });

/** The tRPC error code and reason an SSE error event carries (`serialized-error`), if it is one. */
export function sseError(event: SseEvent): { code: string; reason?: string } | null {
  if (event.event !== "serialized-error") return null;
  const parsed = ErrorShape.safeParse(event.data);
  if (!parsed.success) return { code: "UNKNOWN" };
  return { code: parsed.data.data.code, ...(parsed.data.data.reason ? { reason: parsed.data.data.reason } : {}) };
}
