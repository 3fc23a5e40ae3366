// Argon2id parameters and the PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
// No imports, so the Node seed script can load it too.

export interface Argon2Params {
  memorySize: number; // KiB
  passes: number;
  parallelism: number;
  tagLength: number;
}

// OWASP's first choice for Argon2id.
export const CURRENT_PARAMS: Argon2Params = { memorySize: 19456, passes: 2, parallelism: 1, tagLength: 32 };
export const SALT_BYTES = 16;

// A stored hash asking for more than this is refused without deriving: a tampered row must not
// be able to make a login burn seconds of CPU or gigabytes of memory.
const BOUNDS = { memorySize: [8, 65536], passes: [1, 10], parallelism: [1, 4], tagLength: [16, 64], salt: [8, 64] } satisfies Record<
  string,
  readonly [number, number]
>;

export interface ParsedPhc {
  params: Argon2Params;
  salt: Uint8Array;
  hash: Uint8Array;
}

const within = (n: number, [lo, hi]: readonly [number, number]) => Number.isInteger(n) && n >= lo && n <= hi;

export function toB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "");
}

function fromB64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.padEnd(Math.ceil(text.length / 4) * 4, "=")), (ch) => ch.charCodeAt(0));
  } catch {
    return null; // atob refuses an impossible length: not a hash we wrote
  }
}

export function formatPhc(params: Argon2Params, salt: Uint8Array, hash: Uint8Array): string {
  return `$argon2id$v=19$m=${params.memorySize},t=${params.passes},p=${params.parallelism}$${toB64(salt)}$${toB64(hash)}`;
}

/** Parses a stored hash; null when it is malformed or its parameters are out of bounds. */
export function parsePhc(phc: string): ParsedPhc | null {
  const m = /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  // The pattern yields all five groups or none, so every weakening of this check is equivalent.
  // Stryker disable all
  const [, memory, passes, parallelism, saltText, hashText] = m ?? [];
  if (!memory || !passes || !parallelism || !saltText || !hashText) return null;
  // Stryker restore all
  const salt = fromB64(saltText);
  const hash = fromB64(hashText);
  if (!salt || !hash) return null;
  const params = { memorySize: Number(memory), passes: Number(passes), parallelism: Number(parallelism), tagLength: hash.length };
  const sane =
    within(params.memorySize, BOUNDS.memorySize) &&
    within(params.passes, BOUNDS.passes) &&
    within(params.parallelism, BOUNDS.parallelism) &&
    within(params.tagLength, BOUNDS.tagLength) &&
    within(salt.length, BOUNDS.salt) &&
    params.memorySize >= 8 * params.parallelism;
  return sane ? { params, salt, hash } : null;
}

export const needsRehash = (params: Argon2Params) =>
  params.memorySize !== CURRENT_PARAMS.memorySize ||
  params.passes !== CURRENT_PARAMS.passes ||
  params.parallelism !== CURRENT_PARAMS.parallelism ||
  params.tagLength !== CURRENT_PARAMS.tagLength;
