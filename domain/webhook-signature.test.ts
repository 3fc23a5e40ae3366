import { describe, expect, it } from "vitest";
import { checkWebhookSignature, REPLAY_WINDOW_SECONDS, signWebhook } from "./webhook-signature";

const t = 1_800_000_000;
const body = '{"a":1}';
// HMAC-SHA256("secret", `${t}.${body}`), computed with another implementation (Node's crypto).
const VECTOR = "t=1800000000,v1=440dfbb83aabca24d9e5027629cfd81cb45254690f8d410bb28f1cc17c990dbc";

describe("webhook signatures", () => {
  it("signs `t.body` with HMAC-SHA256 as t=<seconds>,v1=<hex>", async () => {
    expect(await signWebhook("secret", body, t)).toBe(VECTOR);
  });

  it("accepts a fresh signature, also with spaces around the header", async () => {
    expect(await checkWebhookSignature("secret", VECTOR, body, t + 10)).toBeNull();
    expect(await checkWebhookSignature("secret", ` ${VECTOR}\n`, body, t)).toBeNull();
  });

  it("checks against the current time when none is given", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await checkWebhookSignature("secret", await signWebhook("secret", body, now), body)).toBeNull();
    expect(await checkWebhookSignature("secret", await signWebhook("secret", body, now - 3600), body)).toBe("stale");
  });

  it("accepts up to five minutes of clock difference either way, and no more", async () => {
    expect(REPLAY_WINDOW_SECONDS).toBe(300);
    expect(await checkWebhookSignature("secret", VECTOR, body, t + 300)).toBeNull();
    expect(await checkWebhookSignature("secret", VECTOR, body, t - 300)).toBeNull();
    expect(await checkWebhookSignature("secret", VECTOR, body, t + 301)).toBe("stale");
    expect(await checkWebhookSignature("secret", VECTOR, body, t - 301)).toBe("stale");
  });

  it("refuses another body, another secret, another timestamp and a changed signature", async () => {
    expect(await checkWebhookSignature("secret", VECTOR, '{"a":2}', t)).toBe("mismatch");
    expect(await checkWebhookSignature("other", VECTOR, body, t)).toBe("mismatch");
    expect(await checkWebhookSignature("secret", VECTOR.replace("t=1800000000", "t=1800000001"), body, t)).toBe("mismatch");
    expect(await checkWebhookSignature("secret", VECTOR.replace(/.$/, "d"), body, t)).toBe("mismatch");
  });

  it.each([
    ["no timestamp", "v1=440dfbb83aabca24d9e5027629cfd81cb45254690f8d410bb28f1cc17c990dbc"],
    ["a short signature", VECTOR.slice(0, -1)],
    ["a long signature", `${VECTOR}0`],
    ["upper-case hex", VECTOR.toUpperCase().replace("T=", "t=").replace("V1=", "v1=")],
    ["a prefix", `x${VECTOR}`],
    ["a second scheme", `${VECTOR},v0=abc`],
    ["a 13-digit timestamp", VECTOR.replace("t=1800000000", "t=1800000000000")],
    ["no signature", "t=1800000000"],
  ])("calls a header with %s malformed", async (_, header) => {
    expect(await checkWebhookSignature("secret", header, body, t)).toBe("malformed");
  });

  it("calls a missing or empty header missing", async () => {
    expect(await checkWebhookSignature("secret", undefined, body, t)).toBe("missing");
    expect(await checkWebhookSignature("secret", "", body, t)).toBe("missing");
  });
});
