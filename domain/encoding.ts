// Byte encodings used by tokens, signatures, cursors and cache keys: hex and base64url.
export const toHex = (bytes: ArrayBuffer | Uint8Array): string => {
  let out = "";
  for (const b of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) out += b.toString(16).padStart(2, "0");
  return out;
};

const binary = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
};

/** Base64url without padding (RFC 4648 §5) of bytes, or of a string's UTF-16 code units as Latin-1. */
export const toBase64Url = (data: Uint8Array | string): string =>
  btoa(typeof data === "string" ? data : binary(data))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** The Latin-1 string a base64url text decodes to; throws when it is not base64url. */
export const fromBase64Url = (text: string): string => atob(text.replace(/-/g, "+").replace(/_/g, "/"));

/** The SHA-256 digest of a UTF-8 string, in hex. */
export const sha256Hex = async (text: string): Promise<string> =>
  toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
