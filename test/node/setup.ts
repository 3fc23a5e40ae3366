// Node has no `crypto.subtle.timingSafeEqual` (a workerd extension that domain/ uses); give the
// Node project node:crypto's, which keeps the same contract (equal lengths, else it throws).
import { timingSafeEqual } from "node:crypto";

const subtle: SubtleCrypto & { timingSafeEqual?: unknown } = crypto.subtle;
if (typeof subtle.timingSafeEqual !== "function") {
  const view = (b: ArrayBuffer | ArrayBufferView) =>
    ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
  Object.defineProperty(subtle, "timingSafeEqual", {
    value: (a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView) => timingSafeEqual(view(a), view(b)),
  });
}
