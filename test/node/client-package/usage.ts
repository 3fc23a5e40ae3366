// A frontend outside the repository using the installed @storefront/client (copied into a scratch
// project by test/node/client-package.test.ts and type-checked there). The @ts-expect-error lines
// must fail to compile: if one compiles, tsc reports the directive as unused.
import { createClient, errorData, isStorefrontError, type RefusalReason, type RouterInputs, type RouterOutputs } from "@storefront/client";

const api = createClient({ url: "https://shop.example.com/trpc", getAccessToken: () => "token" });

// Inputs.
const listInput: RouterInputs["catalog"]["list"] = { sort: "price_asc", limit: 20 };
// @ts-expect-error: not one of the sorts
const badSort: RouterInputs["catalog"]["list"] = { sort: "cheapest" };
// @ts-expect-error: quantity is a number
void api.cart.addItem.mutate({ productId: "p1", quantity: "2" });

// Outputs: money in cents, dates as Date (superjson).
export async function outputs(): Promise<number> {
  const page: RouterOutputs["catalog"]["list"] = await api.catalog.list.query(listInput);
  const first = page.items[0];
  const created: Date | undefined = first?.createdAt;
  const order = await api.orders.get.query({ id: "o1" });
  const status: "pending" | "paid" | "shipped" | "delivered" | "cancelled" = order.status;
  // @ts-expect-error: totals are integers of cents, not strings
  const total: string = order.totalCents;
  // @ts-expect-error: no such procedure
  await api.orders.delete.mutate({ id: "o1" });
  return (created?.getTime() ?? 0) + status.length + total.length;
}

// The typed error guard: reason is the closed union.
export async function refusals(): Promise<RefusalReason | undefined> {
  try {
    await api.cart.applyDiscount.mutate({ code: "SPRING" });
  } catch (error) {
    if (isStorefrontError(error) && error.data?.reason === "expired") return "expired";
    // @ts-expect-error: not a refusal reason the server can send
    if (errorData(error)?.reason === "too_expensive") return undefined;
    return errorData(error)?.reason;
  }
  return undefined;
}

// A subscription: each event is the order as it now stands, tracked by its event id.
export function watch(id: string): () => void {
  const subscription = api.orders.onUpdate.subscribe(
    { id },
    {
      onData: ({ id: eventId, data }) => {
        const status: "pending" | "paid" | "shipped" | "delivered" | "cancelled" = data.order.status;
        const at: Date = data.at;
        // @ts-expect-error: the event's order has no such field
        console.log(eventId, status, at, data.order.trackingNumber);
      },
    },
  );
  // @ts-expect-error: the subscription takes the order's id as `id`
  api.orders.onUpdate.subscribe({ orderId: id }, {});
  return () => subscription.unsubscribe();
}

void badSort;
