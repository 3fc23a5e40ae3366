// @storefront/client: the typed client for Storefront API. It imports the server's AppRouter as
// a type only, so no server code reaches a frontend bundle.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { EventSourceLike } from "@trpc/server/unstable-core-do-not-import";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "../../router/index";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** A session's token pair, as signup, login and refresh return it (login adds its device token). */
export type AuthTokens = RouterOutputs["auth"]["refresh"];

/** An error the API answered with: its `data` carries the contract's code, reason and request id. */
export type StorefrontError = TRPCClientError<AppRouter>;
export type StorefrontErrorData = NonNullable<StorefrontError["data"]>;
/** The closed set of refusal reasons (`data.reason`) as the server defines them: the business rules' and `unparsable_input`. */
export type RefusalReason = NonNullable<StorefrontErrorData["reason"]>;

/** Narrows a caught error to one the API answered with, so `e.data?.reason` is typed. */
export const isStorefrontError = (error: unknown): error is StorefrontError => error instanceof TRPCClientError;

/** The error's data (code, httpStatus, reason, issues, requestId), or undefined for anything else. */
export const errorData = (error: unknown): StorefrontErrorData | undefined =>
  isStorefrontError(error) ? (error.data ?? undefined) : undefined;

export interface ClientOptions {
  /** Base URL of the API, e.g. "https://shop.example.com/trpc". */
  url: string;
  /** The current access token, sent as `Authorization: Bearer`. */
  getAccessToken?: () => string | null | undefined;
  /** The refresh token for API clients; browsers may rely on the HttpOnly cookie instead. */
  getRefreshToken?: () => string | null | undefined;
  /** Called with the new pair whenever the client refreshes the session by itself. */
  onTokens?: (tokens: AuthTokens) => void;
  /**
   * Runs each refresh under a lock shared with every other client that holds the same refresh
   * token, e.g. a browser's tabs sharing the refresh cookie:
   * `(refresh) => navigator.locks.request("storefront-refresh", refresh)`. The next holder then
   * presents the rotated token, not the one the previous holder has just used.
   */
  refreshLock?: <T>(refresh: () => Promise<T>) => Promise<T>;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** An EventSource implementation for subscriptions where there is no global one (e.g. the `eventsource` package in Node). */
  EventSource?: EventSourceLike.AnyConstructor;
  /** Longer batched GET URLs are split (some proxies refuse long URLs). */
  maxURLLength?: number;
  /**
   * Composes the client's links: receives the default chain (refresh on expiry, then the HTTP
   * batch transport) and returns the chain to use, e.g. `(links) => [loggerLink(), ...links]`.
   */
  links?: (defaults: TRPCLink<AppRouter>[]) => TRPCLink<AppRouter>[];
}

const BOOKMARK_HEADER = "x-d1-bookmark";
// A D1 bookmark: the first three fields are fixed-width hex counters, so comparing them as text
// orders bookmarks in time.
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/**
 * The newest D1 bookmark the API has returned. Sent back on every request, so the caller reads
 * its own writes even when the next request is answered by a read replica.
 */
export function bookmarkMemory() {
  let newest: string | null = null;
  return {
    get: () => newest,
    see(bookmark: string | null) {
      if (bookmark && BOOKMARK.test(bookmark) && (!newest || bookmark.slice(0, 26) > newest.slice(0, 26))) newest = bookmark;
    },
  };
}

// Calls that must never trigger an automatic refresh (they are how one signs in).
const NO_REFRESH = new Set(["auth.login", "auth.signup", "auth.refresh", "auth.logout"]);

const isUnauthorized = (error: unknown) => errorData(error)?.code === "UNAUTHORIZED";

/**
 * The client's default links: subscriptions over server-sent events (the access token travels in
 * tRPC's connection parameters, as an EventSource cannot send headers), resumed after their last
 * event id when a stream ends or breaks; everything else refreshes
 * the session once on an expired token, then goes in HTTP batches.
 */
export function storefrontLinks(options: ClientOptions): TRPCLink<AppRouter>[] {
  return linksWithRefresh(options).links;
}

function linksWithRefresh(options: ClientOptions) {
  const bookmarks = bookmarkMemory();
  const send = options.fetch ?? fetch;
  const remembering = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await send(input, init);
    bookmarks.see(response.headers.get(BOOKMARK_HEADER));
    return response;
  };
  // httpBatchLink, not httpBatchStreamLink: the stream link sends headers before the procedures
  // run, so a write's bookmark would never reach the client.
  const transport = (withAuth: boolean) =>
    httpBatchLink<AppRouter>({
      url: options.url,
      transformer: superjson,
      maxURLLength: options.maxURLLength ?? 2000,
      fetch: remembering,
      headers: () => {
        const token = withAuth ? options.getAccessToken?.() : undefined;
        const bookmark = bookmarks.get();
        return {
          ...options.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(bookmark ? { [BOOKMARK_HEADER]: bookmark } : {}),
        };
      },
    });

  // A separate client for the refresh itself, so it never recurses into the retry link.
  const refresher = createTRPCClient<AppRouter>({ links: [transport(false)] });
  // Single flight: every caller that finds the access token expired waits on the same refresh.
  // Two refreshes of one refresh token would present it again after its rotation, which the API
  // takes for theft and answers by revoking the whole session family.
  let refreshing: Promise<boolean> | null = null;
  const refresh = () =>
    refresher.auth.refresh.mutate({ refreshToken: options.getRefreshToken?.() ?? undefined }).then((tokens) => {
      options.onTokens?.(tokens);
      return true;
    });
  const refreshOnce = (): Promise<boolean> =>
    (refreshing ??= (options.refreshLock ? options.refreshLock(refresh) : refresh())
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      }));

  // On UNAUTHORIZED (an expired access token), refresh the session once and retry the call.
  const refreshOnExpiry: TRPCLink<AppRouter> =
    () =>
    ({ op, next }) =>
      observable((observer) => {
        let retried = false;
        let subscription: { unsubscribe(): void } | undefined;
        const attempt = () => {
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (retried || NO_REFRESH.has(op.path) || !options.onTokens || !isUnauthorized(error)) {
                observer.error(error);
                return;
              }
              retried = true;
              void refreshOnce().then((ok) => (ok ? attempt() : observer.error(error)));
            },
          });
        };
        attempt();
        return () => subscription?.unsubscribe();
      });

  // A subscription outlives its streams. The server ends a stream when the access token expires
  // and refuses one opened with an expired token: refresh the session once, then subscribe again
  // after the last event id seen, so nothing is missed (a failed refresh, i.e. a revoked session,
  // ends the subscription). A stream that broke without an answer (the network) is reopened the
  // same way after a pause that grows to 30 s.
  const resumeSubscription: TRPCLink<AppRouter> =
    () =>
    ({ op, next }) =>
      observable((observer) => {
        let lastEventId: string | undefined;
        let subscription: { unsubscribe(): void } | undefined;
        let stopped = false;
        // Since the last resume: did a stream open? Resuming twice without one would loop.
        let started = true;
        let pause = 0;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const end = (error?: StorefrontError) => (error ? observer.error(error) : observer.complete());
        const resume = (error?: StorefrontError) => {
          if (!started || !options.onTokens) return end(error);
          started = false;
          void refreshOnce().then((ok) => {
            if (stopped) return;
            if (ok) attempt();
            else end(error);
          });
        };
        const retryLater = () => {
          pause = Math.min(30_000, Math.max(1_000, pause * 2));
          timer = setTimeout(attempt, pause);
        };
        const attempt = () => {
          const input = lastEventId === undefined ? op.input : Object.assign({}, op.input, { lastEventId });
          subscription = next({ ...op, input }).subscribe({
            next: (value) => {
              if (value.result.type === "started") {
                started = true;
                pause = 0;
              }
              if (value.result.type === "data" && value.result.id) lastEventId = value.result.id;
              observer.next(value);
            },
            error: (error) => {
              if (stopped) return;
              if (isUnauthorized(error)) resume(error);
              else if (!errorData(error)) retryLater();
              else end(error);
            },
            complete: () => {
              if (!stopped) resume();
            },
          });
        };
        attempt();
        return () => {
          stopped = true;
          clearTimeout(timer);
          subscription?.unsubscribe();
        };
      });

  const subscriptions = httpSubscriptionLink<AppRouter, EventSourceLike.AnyConstructor>({
    url: options.url,
    transformer: superjson,
    EventSource: options.EventSource,
    // Read at every (re)connect, so a reconnect after the stream ended for an expired token uses the fresh one.
    connectionParams: () => {
      const token = options.getAccessToken?.();
      return token ? { accessToken: token } : {};
    },
  });

  const links = [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: [resumeSubscription, subscriptions],
      false: [refreshOnExpiry, transport(true)],
    }),
  ];
  return { links, refreshSession: refreshOnce };
}

function build(options: ClientOptions) {
  const { links: defaults, refreshSession } = linksWithRefresh(options);
  return { client: createTRPCClient<AppRouter>({ links: options.links ? options.links(defaults) : defaults }), refreshSession };
}

export function createClient(options: ClientOptions) {
  return build(options).client;
}

/**
 * The client and its session refresh, for code that calls the API outside the client (a plain
 * HTTP route such as an upload, a page restoring its session on load). `refreshSession()` joins
 * the refresh in flight, if any, so the client's own retries and these callers never refresh the
 * same token twice; it resolves true once `onTokens` has the new pair, false when the session is over.
 */
export function createClientWithSession(options: ClientOptions) {
  return build(options);
}

export type StorefrontClient = ReturnType<typeof createClient>;
export { TRPCClientError };
