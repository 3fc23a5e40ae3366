// Opaque keyset-pagination cursors: the sort value and id of the last row seen.
import { fromBase64Url, toBase64Url } from "./encoding";

export interface Cursor {
  v: string | number;
  id: string;
}

export const encodeCursor = (c: Cursor) => toBase64Url(JSON.stringify([c.v, c.id]));

const isPair = (value: unknown): value is readonly [unknown, unknown] => Array.isArray(value) && value.length === 2;

/** The cursor, or null when the string is not one of ours. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(text));
    if (!isPair(parsed)) return null;
    const [v, id] = parsed;
    if ((typeof v !== "string" && typeof v !== "number") || typeof id !== "string") return null;
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    return { v, id };
  } catch {
    return null; // not base64 or not JSON: not a cursor we issued
  }
}
