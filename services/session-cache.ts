// Per-isolate memory of which session families are live, so that a signed-in request does not
// pay a D1 round trip for the revocation check every time. Revocation in this isolate takes
// effect at once; in other isolates within SESSION_CHECK_TTL_MS (documented in SECURITY.md).
import type { Role } from "../domain/roles";

export const SESSION_CHECK_TTL_MS = 10_000;
const MAX_ENTRIES = 5_000;

export interface CachedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  emailVerified: boolean;
  createdAt: Date;
}

export class SessionCache {
  private entries = new Map<string, { user: CachedUser; userId: string; until: number }>();

  /** The family's user, from memory while checked within SESSION_CHECK_TTL_MS of `now`, else from `load`. */
  async get<U extends CachedUser>(
    family: string,
    userId: string,
    load: () => Promise<U | undefined>,
    now: number,
  ): Promise<CachedUser | undefined> {
    const hit = this.entries.get(family);
    if (hit && hit.until > now && hit.userId === userId) return hit.user;
    const user = await load();
    if (!user) {
      this.entries.delete(family);
      return undefined;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(family, { user, userId, until: now + SESSION_CHECK_TTL_MS });
    return user;
  }

  forget(family: string): void {
    this.entries.delete(family);
  }

  forgetUser(userId: string): void {
    for (const [family, entry] of this.entries) if (entry.userId === userId) this.entries.delete(family);
  }
}

/**
 * The isolate's one cache, which every request's context is handed (router/context.ts): safe to
 * share across requests because it holds plain values (users, expiry times), never a binding,
 * stream or other request-bound I/O object; revocation in another isolate is the TTL's to bound.
 */
export const sessionCache = new SessionCache();
