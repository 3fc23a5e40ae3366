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
 * tRPC's connection parameters, as an EventSource cannot send headers); everything else refreshes
 * the session once on an expired token, then goes in HTTP batches.
 */
export function storefrontLinks(options: ClientOptions): TRPCLink<AppRouter>[] {
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
  let refreshing: Promise<boolean> | null = null;
  const refreshOnce = () =>
    (refreshing ??= refresher.auth.refresh
      .mutate({ refreshToken: options.getRefreshToken?.() ?? undefined })
      .then((tokens) => {
        options.onTokens?.(tokens);
        return true;
      })
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

  return [splitLink({ condition: (op) => op.type === "subscription", true: subscriptions, false: [refreshOnExpiry, transport(true)] })];
}

export function createClient(options: ClientOptions) {
  const defaults = storefrontLinks(options);
  return createTRPCClient<AppRouter>({ links: options.links ? options.links(defaults) : defaults });
}

export type StorefrontClient = ReturnType<typeof createClient>;
export { TRPCClientError };
