// The devices signed in to the account: where and when each was last used, this one marked; sign
// one out, or every other one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RouterOutputs } from "@storefront/client";
import { errorMessage, trpc } from "../../api";
import { Alert, ErrorState, Loading } from "../../ui";

type Session = RouterOutputs["auth"]["sessions"]["list"][number];

const when = (value: Date) =>
  value.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

const placeOf = (s: Session) => [s.city, s.country].filter(Boolean).join(", ") || "Unknown place";

export function Sessions() {
  const queryClient = useQueryClient();
  const list = useQuery(trpc.auth.sessions.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
  const revoke = useMutation(trpc.auth.sessions.revoke.mutationOptions({ onSuccess: refresh }));
  const everywhere = useMutation(trpc.auth.logoutEverywhere.mutationOptions({ onSuccess: refresh }));

  return (
    <section className="card stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {list.isPending ? (
        <Loading what="Loading your devices" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : (
        <ul className="plain stack sessions" aria-label="Signed-in devices">
          {list.data.map((s) => (
            <li key={s.id} data-testid="session" data-current={s.current ? "true" : undefined}>
              <p>
                <strong>{s.device}</strong> · {placeOf(s)}
                {s.current && <span className="tag">This device</span>}
              </p>
              <p className="muted">
                Signed in {when(s.createdAt)} · last active {when(s.lastUsedAt)}
              </p>
              {!s.current && (
                <button type="button" className="secondary" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: s.id })}>
                  Sign out<span className="visually-hidden"> {`${s.device}, ${placeOf(s)}`}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoke.isError && <Alert>{errorMessage(revoke.error)}</Alert>}
      {everywhere.isError && <Alert>{errorMessage(everywhere.error)}</Alert>}
      {everywhere.isSuccess && <Alert kind="success">Every other device is signed out.</Alert>}
      <p>
        <button type="button" className="secondary" disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere else
        </button>
      </p>
    </section>
  );
}
