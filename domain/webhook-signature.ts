// Webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, accepted only
// within a replay window, compared in constant time.
import { toHex } from "./encoding";

export const REPLAY_WINDOW_SECONDS = 300;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();
const keyFor = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
};

export async function signWebhook(secret: string, body: string, timestamp: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${toHex(mac)}`;
}

export type SignatureProblem = "missing" | "malformed" | "stale" | "mismatch";

export async function checkWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SignatureProblem | null> {
  if (!header) return "missing";
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return "malformed";
  const timestamp = Number(m[1]);
  if (Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return "stale";
  const expected = (await signWebhook(secret, body, timestamp)).split("v1=")[1];
  const same = crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(m[2]));
  return same ? null : "mismatch";
}
