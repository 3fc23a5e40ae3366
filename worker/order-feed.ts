// The OrderFeed Durable Object: one per order (and one, "shop", for the admin feed), relaying a
// wake-up to the subscriptions listening on it. It carries no event data: subscribers read what
// changed from order_events in D1, so an object evicted between events loses nothing.
//
// Listeners are WebSockets accepted with the Hibernation API (ctx.acceptWebSocket): an idle feed
// can hibernate with its listeners connected, so it is not billed for duration while nobody's
// order changes. Open streams (the design before) kept it in memory, and billed, while anyone
// watched. Figures: docs/scale.md, "Live updates: fan-out".
import { DurableObject } from "cloudflare:workers";

export class OrderFeed extends DurableObject<Env> {
  /** A WebSocket that receives a message whenever the feed is notified; the caller closes it. */
  override fetch(request: Request): Response {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  notify(): number {
    const listeners = this.ctx.getWebSockets();
    for (const ws of listeners) {
      try {
        ws.send("wake");
      } catch {
        // closing meanwhile: webSocketClose is on its way
      }
    }
    return listeners.length;
  }

  override webSocketClose(ws: WebSocket, code: number) {
    // 1005 (no code given) may not be sent back.
    ws.close(code === 1005 ? 1000 : code, "listener gone");
  }
}
