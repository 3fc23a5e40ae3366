// The API as the app sees it: one @storefront/client, TanStack Query options for every procedure,
// the signed-in session, and helpers that turn tRPC errors into what a form shows.
import {
  createClientWithSession,
  errorData,
  isStorefrontError,
  type AppRouter,
  type AuthTokens,
  type RouterOutputs,
} from "@storefront/client";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { useSyncExternalStore } from "react";

export type User = RouterOutputs["auth"]["me"];

// The access token lives in memory only. The refresh token is the API's HttpOnly cookie
// (Path=/trpc, Secure, SameSite=Strict), so no script can read it; a reload restores the
// session by calling auth.refresh, which the browser answers with that cookie.
interface Session {
  status: "restoring" | "ready";
  user: User | null;
  accessToken: string | null;
}

// A non-secret hint that this browser holds a session, so anonymous visitors skip the refresh call.
const HINT = "sf_signed_in";
const hasHint = () => localStorage.getItem(HINT) === "1";

let session: Session = { status: hasHint() ? "restoring" : "ready", user: null, accessToken: null };
const listeners = new Set<() => void>();
const setSession = (next: Session) => {
  session = next;
  listeners.forEach((listener) => listener());
};

export function useSession() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => session,
  );
}

export function signedIn(tokens: AuthTokens) {
  localStorage.setItem(HINT, "1");
  setSession({ status: "ready", user: tokens.user, accessToken: tokens.accessToken });
}

/** The session is over (signed out, revoked or the account deleted): forget it here too. */
export function signedOut() {
  localStorage.removeItem(HINT);
  setSession({ status: "ready", user: null, accessToken: null });
  queryClient.clear();
}

// One refresh path for the whole app: the client's retries, plain HTTP routes and a reload all
// refresh through refreshSession, which joins the refresh in flight. A second refresh racing it
// (in this tab or another) would present the refresh cookie after its rotation, and the API would
// revoke the session.
export const { client, refreshSession } = createClientWithSession({
  url: "/trpc",
  getAccessToken: () => session.accessToken,
  // undefined: auth.refresh uses the HttpOnly cookie.
  getRefreshToken: () => undefined,
  onTokens: signedIn,
  // Tabs share the cookie: one refreshes at a time, so the next sends the cookie the last one got.
  // (Web Locks exist in secure contexts only, as does the Secure cookie itself.)
  refreshLock: (refresh) => ("locks" in navigator ? navigator.locks.request("storefront-refresh", refresh) : refresh()),
});

/** A signed-in call came back UNAUTHORIZED even after the client's one refresh: the session is over. */
function onApiError(error: unknown) {
  if (session.user && errorCode(error) === "UNAUTHORIZED") signedOut();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Retrying a refusal (4xx) cannot help; a network blip may.
      retry: (count, error) => count < 2 && !errorData(error),
    },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });

// A reload: one refresh for the whole page (module scope, so React's strict mode cannot send two
// and trip the API's refresh-token reuse detection).
if (session.status === "restoring") {
  void refreshSession().then((ok) => {
    if (!ok) signedOut();
  });
}

export async function logIn(input: { email: string; password: string }) {
  signedIn(await client.auth.login.mutate(input));
  await queryClient.invalidateQueries();
}

export async function signUp(input: { email: string; password: string; name: string }) {
  signedIn(await client.auth.signup.mutate(input));
  await queryClient.invalidateQueries();
}

export async function logOut() {
  try {
    await client.auth.logout.mutate();
  } finally {
    signedOut();
  }
}

// ---- errors -------------------------------------------------------------------------------

export const errorCode = (error: unknown) => errorData(error)?.code;
export const errorReason = (error: unknown) => errorData(error)?.reason;

/** Per-field messages from a BAD_REQUEST's validation issues, keyed by the field's path. */
export function fieldErrors(error: unknown): Record<string, string> {
  const issues = errorData(error)?.issues;
  const byField: Record<string, string> = {};
  for (const issue of issues ?? []) byField[issue.path || "_"] ??= issue.message;
  return byField;
}

/** The one message for a form or page: the API's own words, or a plain fallback. */
export function errorMessage(error: unknown): string {
  if (!isStorefrontError(error)) return "Something went wrong. Try again.";
  if (!error.data) return "Cannot reach the shop right now. Check your connection and try again.";
  if (error.data.issues?.length) return "Please correct the highlighted fields.";
  return error.message;
}

// ---- plain HTTP routes (uploads, exports) -------------------------------------------------

/** An API error from a plain HTTP route, in the same shape tRPC's errors have. */
export class HttpRouteError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;

/** The message of an error body from a plain HTTP route: the API's one shape, { message, code, data }. */
function messageOf(body: unknown) {
  const message = field(body, "message");
  return typeof message === "string" ? message : undefined;
}

async function authedFetch(url: string, init: RequestInit = {}) {
  const send = () => fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${session.accessToken ?? ""}` } });
  let response = await send();
  // An expired access token: the client's refresh (onTokens stores the new pair), then once more.
  if (response.status === 401 && session.user) {
    if (await refreshSession()) response = await send();
    // Refused even after the refresh: the session is over, as onApiError decides for tRPC calls.
    if (response.status === 401) signedOut();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new HttpRouteError(messageOf(body) ?? `The request failed (${response.status}).`, response.status);
  }
  return response;
}

/** Uploads an image file's bytes for a product; the API checks what they are. */
export async function uploadProductImage(productId: string, file: Blob, alt: string) {
  const query = alt ? `?alt=${encodeURIComponent(alt)}` : "";
  await authedFetch(`/uploads/products/${encodeURIComponent(productId)}/images${query}`, { method: "POST", body: file });
}

/** Downloads the orders of [from, to] (YYYY-MM-DD) as a CSV file. */
export async function downloadOrdersCsv(from: string, to: string) {
  const response = await authedFetch(`/exports/orders.csv?from=${from}&to=${to}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `orders-${from}-to-${to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
