// The Worker entry: the fetch handler and the Durable Object classes, nothing else.
import { buildApp } from "./app";

export { RateLimiter } from "./rate-limiter";

const app = buildApp();

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
