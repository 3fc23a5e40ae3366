// A printable receipt for an order: the shop's legal details, the lines with their tax, shipping and totals.
import { useQuery } from "@tanstack/react-query";
import { trpc } from "../api";
import { date, money } from "../format";
import { Link } from "../router";
import { ErrorState, Loading, Page, SignedIn } from "../ui";

function ReceiptBody({ id }: { id: string }) {
  const receipt = useQuery(trpc.orders.receipt.queryOptions({ id }));
  if (receipt.isPending) return <Loading what="Loading your receipt" />;
  if (receipt.isError) return <ErrorState error={receipt.error} retry={() => void receipt.refetch()} />;
  const { order, shop } = receipt.data;
  const m = (cents: number) => money(cents, order.currency);
  const a = order.shippingAddress;
  return (
    <article className="receipt card stack" aria-label="Receipt">
      <header className="receipt-head">
        <div>
          <strong>{shop.name}</strong>
          {shop.address.map((line) => (
            <div key={line}>{line}</div>
          ))}
          {shop.taxId && <div data-testid="shop-tax-id">Tax ID: {shop.taxId}</div>}
        </div>
        <div>
          <div>Order {order.id}</div>
          <div>{date(order.createdAt)}</div>
        </div>
      </header>
      <section aria-label="Shipped to">
        <strong>Shipped to</strong>
        <div>{a.name}</div>
        <div>{a.line1}</div>
        {a.line2 && <div>{a.line2}</div>}
        <div>
          {a.postalCode} {a.city}
          {a.region ? `, ${a.region}` : ""}
        </div>
        <div>{a.country}</div>
      </section>
      <table className="receipt-lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Qty</th>
            <th scope="col">Unit price</th>
            <th scope="col">{order.taxInclusive ? "Tax included" : "Tax"}</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.variantId} data-testid="receipt-line">
              <td>
                {l.name}
                {l.variantLabel && ` (${l.variantLabel})`}
                {l.sku && <span className="muted"> · SKU {l.sku}</span>}
              </td>
              <td>{l.quantity}</td>
              <td>{m(l.unitPriceCents)}</td>
              <td>{m(l.taxCents)}</td>
              <td>{m(l.unitPriceCents * l.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals" aria-label="Receipt totals">
        <dt>Subtotal</dt>
        <dd>{m(order.subtotalCents)}</dd>
        {order.discountCents > 0 && (
          <>
            <dt>Discount{order.discountCode && ` (${order.discountCode})`}</dt>
            <dd>−{m(order.discountCents)}</dd>
          </>
        )}
        <dt>Shipping{order.shippingOptionId && ` (${order.shippingOptionId})`}</dt>
        <dd data-testid="receipt-shipping">{order.shippingCents === 0 ? "Free" : m(order.shippingCents)}</dd>
        <dt>{order.taxInclusive ? "Tax included in the prices" : "Tax"}</dt>
        <dd data-testid="receipt-tax">{m(order.taxCents)}</dd>
        <dt className="total">Total paid</dt>
        <dd className="total" data-testid="receipt-total">
          {m(order.totalCents)}
        </dd>
      </dl>
      <p className="no-print actions">
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <Link to={`/orders/${order.id}`}>Back to the order</Link>
      </p>
    </article>
  );
}

export const Receipt = ({ id }: { id: string }) => (
  <Page title={`Receipt ${id.slice(-8)}`}>
    <SignedIn>
      <ReceiptBody id={id} />
    </SignedIn>
  </Page>
);
