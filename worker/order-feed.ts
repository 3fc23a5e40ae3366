// The OrderFeed Durable Object: one per order (and one, "shop", for the admin feed), relaying a
// wake-up to the subscription streams open on it. It carries no event data: subscribers read
// what changed from order_events in D1, so an object evicted between events loses nothing.
import { DurableObject } from "cloudflare:workers";

const WAKE = new TextEncoder().encode("\n");

export class OrderFeed extends DurableObject<Env> {
  #listeners = new Set<WritableStreamDefaultWriter<Uint8Array>>();

  /** A stream that receives a newline whenever the feed is notified; closes with the caller. */
  override fetch(request: Request): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    this.#listeners.add(writer);
    request.signal.addEventListener("abort", () => this.#drop(writer));
    return new Response(readable, { headers: { "content-type": "text/plain" } });
  }

  notify(): number {
    for (const writer of this.#listeners) writer.write(WAKE).catch(() => this.#drop(writer));
    return this.#listeners.size;
  }

  #drop(writer: WritableStreamDefaultWriter<Uint8Array>) {
    this.#listeners.delete(writer);
    writer.close().catch(() => {});
  }
}
