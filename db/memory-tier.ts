// The in-isolate tier of the read-through cache: a small least-recently-used map with expiry.
// Least recently used, not first in: a burst of one-off reads (a crawler, a search) must not
// push the hot keys out.

/** Pure values only (never a Response or a stream): safe to share between requests. */
export class MemoryTier<V = unknown> {
  private entries = new Map<string, { value: V; until: number }>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(key: string): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Map keeps insertion order: moving a hit to the end keeps the first key the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value ?? "");
    this.entries.set(key, { value, until: Date.now() + ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
