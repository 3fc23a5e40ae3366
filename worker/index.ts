// The Worker entry: the fetch, queue and scheduled handlers and the Durable Object classes, nothing else.
import { buildApp } from "./app";
import { queue, scheduled } from "./background";

export { OrderFeed } from "./order-feed";
export { RateLimiter } from "./rate-limiter";

const app = buildApp();

export default { fetch: app.fetch, queue, scheduled } satisfies ExportedHandler<Env>;
