// Named spans in Workers traces (`tracing.enterSpan` from cloudflare:workers): workerd only, so
// nothing that runs in Node may import this. In tests the callback runs untraced.
import { tracing } from "cloudflare:workers";

type Attributes = Record<string, boolean | number | string | undefined>;

/** Runs `work` inside a span named `name`; the span ends when the returned promise settles. */
export const span = <T>(name: string, work: () => Promise<T>, attributes: Attributes = {}): Promise<T> =>
  tracing.enterSpan(name, (s) => {
    s.setAttributes(attributes);
    return work();
  });
