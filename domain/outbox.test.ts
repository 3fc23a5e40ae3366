import { describe, expect, it } from "vitest";
import { isLastAttempt, QUEUE_MAX_RETRIES, refundIdempotencyKey, retryDelaySeconds } from "./outbox";

describe("the outbox retry schedule", () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [5, 480],
    [20, 3600],
  ])("waits %i → %i s", (attempts, seconds) => expect(retryDelaySeconds(attempts)).toBe(seconds));

  it("gives up on the delivery after the last retry", () => {
    expect(isLastAttempt(QUEUE_MAX_RETRIES)).toBe(false);
    expect(isLastAttempt(QUEUE_MAX_RETRIES + 1)).toBe(true);
  });

  it("refunds an order under one key", () => expect(refundIdempotencyKey("o1")).toBe("refund_o1"));
});
