// Password hashing with Argon2id in WebAssembly. Workers cannot compile WebAssembly at run time,
// so the package's .wasm files are imported as modules (compiled at deploy) and instantiated here.
import setupWasm from "argon2id/lib/setup.js";
import simdModule from "argon2id/dist/simd.wasm";
import noSimdModule from "argon2id/dist/no-simd.wasm";
import { CURRENT_PARAMS, SALT_BYTES, formatPhc, needsRehash, parsePhc, type Argon2Params } from "./phc";

type ComputeHash = Awaited<ReturnType<typeof setupWasm>>;

const instantiate = (module: WebAssembly.Module) => async (imports: WebAssembly.Imports) => ({
  module,
  instance: await WebAssembly.instantiate(module, imports),
});

// One instance per isolate: instantiating is cheap, but its 64 MiB of memory is not.
let loading: Promise<ComputeHash> | undefined;
const argon2id = () => (loading ??= setupWasm(instantiate(simdModule), instantiate(noSimdModule)));

const encoder = new TextEncoder();

export async function deriveArgon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
  extra: { secret?: Uint8Array; ad?: Uint8Array } = {},
): Promise<Uint8Array> {
  const compute = await argon2id();
  return compute({ password, salt, ...params, ...extra });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await deriveArgon2id(encoder.encode(password), salt, CURRENT_PARAMS);
  return formatPhc(CURRENT_PARAMS, salt, hash);
}

export type VerifyResult = { ok: false } | { ok: true; needsRehash: boolean };

// argon2id 1.0.1 refuses passwords under 8 bytes, and checks it so loosely (the array itself
// compared with numbers) that a one-byte one below U+0008 throws while others slip through.
const LIBRARY_MIN_BYTES = 8;

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parsed = parsePhc(stored);
  if (!parsed) return { ok: false };
  const bytes = encoder.encode(password);
  if (bytes.length < LIBRARY_MIN_BYTES) {
    // No stored password is that short (the policy asks for 10 characters), so it is wrong; it
    // still costs one full hash, as any wrong password does, so timing tells nothing.
    await deriveArgon2id(new Uint8Array(LIBRARY_MIN_BYTES), parsed.salt, parsed.params);
    return { ok: false };
  }
  const derived = await deriveArgon2id(bytes, parsed.salt, parsed.params);
  const ok = derived.length === parsed.hash.length && crypto.subtle.timingSafeEqual(derived, parsed.hash);
  return ok ? { ok: true, needsRehash: needsRehash(parsed.params) } : { ok: false };
}

// Verified against when the email is unknown, so that both paths run one full hash.
export const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c3RvcmVmcm9udGR1bW15$LJ6vUnP0SR8kC5pY2n3cdkjC4Yl1bbPP8N5dNiKk2cI";
