// Live order updates: while a page is open, the API's order subscriptions (server-sent events)
// write each event's order into the query caches that page reads, so what is shown changes
// without a reload. Reconnecting is the client's: @storefront/client resubscribes after the last
// event id when a stream ends or breaks, refreshing an expired access token first.
import type { RouterOutputs } from "@storefront/client";
import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { trpc } from "./api";

type Order = RouterOutputs["orders"]["get"];
type Page<T> = { items: T[]; nextCursor: string | null };

/** Replaces the order in every page that lists it; the listing's own fields (a customer) stay. */
const replaceIn = <T extends Order>(data: InfiniteData<Page<T>> | undefined, order: Order) =>
  data && {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === order.id ? { ...item, ...order } : item)) })),
  };

const lists = <T,>(data: InfiniteData<Page<T>> | undefined) => data?.pages.flatMap((page) => page.items) ?? [];

function applyToCustomerCaches(queryClient: QueryClient, order: Order) {
  queryClient.setQueryData(trpc.orders.get.queryKey({ id: order.id }), order);
  queryClient.setQueriesData<InfiniteData<Page<Order>>>({ queryKey: trpc.orders.list.infiniteQueryKey() }, (data) =>
    replaceIn(data, order),
  );
}

/** What a subscription's state means to the person watching. */
function LiveNote({ status }: { status: "idle" | "connecting" | "pending" | "error" }) {
  const text = {
    idle: "",
    connecting: "Connecting for live updates…",
    pending: "Live: changes appear here as they happen.",
    error: "Live updates stopped. Reload the page to see changes.",
  }[status];
  return (
    <p className="muted live" role="status" data-testid="live-status" data-live={status}>
      {text}
    </p>
  );
}

/** The customer's (or an admin's) live view of one order, for as long as this is mounted. */
export function LiveOrder({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.orders.onUpdate.subscriptionOptions({ id }, { onData: ({ data }) => applyToCustomerCaches(queryClient, data.order) }),
  );
  return <LiveNote status={subscription.status} />;
}

type AdminOrder = RouterOutputs["admin"]["orders"]["list"]["items"][number];

/**
 * The back office's live feed of every order. A change to an order the list shows is written into
 * it; `stale(order)` says whether the list must be fetched again instead (a new order, or one that
 * left the list's filter).
 */
export function LiveShop({ stale }: { stale: (order: Order, shown: boolean) => boolean }) {
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.admin.orders.onUpdate.subscriptionOptions(undefined, {
      onData: ({ data }) => {
        const listKey = trpc.admin.orders.list.infiniteQueryKey();
        const shown = queryClient
          .getQueriesData<InfiniteData<Page<AdminOrder>>>({ queryKey: listKey })
          .some(([, pages]) => lists(pages).some((item) => item.id === data.order.id));
        queryClient.setQueriesData<InfiniteData<Page<AdminOrder>>>({ queryKey: listKey }, (pages) => replaceIn(pages, data.order));
        const detail = trpc.admin.orders.get.queryKey({ id: data.order.id });
        queryClient.setQueryData(detail, (old) => old && { ...old, ...data.order });
        // The detail's payments and history are not in the event: fetch them again if it is cached.
        void queryClient.invalidateQueries({ queryKey: detail });
        if (stale(data.order, shown)) void queryClient.invalidateQueries({ queryKey: listKey });
      },
    }),
  );
  return <LiveNote status={subscription.status} />;
}
