// Sales at a glance: the last 30 days' revenue and orders per day as bar charts (hand-drawn SVG),
// the same numbers in a table, the summary figures, top products, discount usage and the CSV export.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { downloadOrdersCsv, trpc } from "../../api";
import { money } from "../../format";
import { Alert, ErrorState, Field, Loading } from "../../ui";
import { OrderCard } from "../Orders";
import { Attention } from "./Orders";
import { AdminPage } from "./Shell";

const CURRENCY = "USD";

/**
 * A bar chart of one value per day. Drawn by hand: 30 bars and two labels need no library, and
 * the smallest well-kept ones (uPlot ~20 KiB gzipped, Chart.js ~65 KiB) would add a fifth to two
 * thirds of the whole app. The SVG is decorative for assistive technology (aria-hidden): the
 * table below it carries the same numbers.
 */
function BarChart({ title, values, format }: { title: string; values: { date: string; value: number }[]; format: (v: number) => string }) {
  const max = Math.max(1, ...values.map((v) => v.value));
  const width = 600;
  const height = 160;
  const bar = width / Math.max(1, values.length);
  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="muted">(highest {format(max)})</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="presentation" aria-hidden="true" preserveAspectRatio="none">
        <line x1="0" y1={height} x2={width} y2={height} className="axis" />
        {values.map((v, i) => {
          const h = (v.value / max) * (height - 4);
          return <rect key={v.date} x={i * bar + 1} y={height - h} width={Math.max(1, bar - 2)} height={h} className="bar" />;
        })}
        <text x="0" y={height + 16} className="tick">
          {values[0]?.date}
        </text>
        <text x={width} y={height + 16} textAnchor="end" className="tick">
          {values.at(-1)?.date}
        </text>
      </svg>
    </figure>
  );
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function Summary() {
  const summary = useQuery(trpc.admin.sales.summary.queryOptions({ days: 30 }));
  if (summary.isPending) return <Loading what="Loading figures" />;
  if (summary.isError) return <ErrorState error={summary.error} />;
  const s = summary.data;
  const figures: [string, string, string][] = [
    ["Revenue", money(s.revenueCents, s.currency), "revenue"],
    ["Orders", String(s.orders), "orders"],
    ["Average order", money(s.averageOrderCents, s.currency), "average"],
    ["Refund rate", `${percent(s.refundRate)} (${s.refundedOrders})`, "refund-rate"],
    ["Discounted orders", `${s.discountedOrders} · −${money(s.discountCents, s.currency)}`, "discounted"],
  ];
  return (
    <dl className="figures">
      {figures.map(([label, value, id]) => (
        <div key={id} className="card">
          <dt>{label}</dt>
          <dd data-testid={`figure-${id}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Daily() {
  const daily = useQuery(trpc.admin.sales.daily.queryOptions({ days: 30 }));
  if (daily.isPending) return <Loading what="Loading sales per day" />;
  if (daily.isError) return <ErrorState error={daily.error} />;
  const days = daily.data.days;
  return (
    <section aria-labelledby="per-day">
      <h2 id="per-day">Last 30 days</h2>
      <div className="charts">
        <BarChart
          title="Revenue per day"
          values={days.map((d) => ({ date: d.date, value: d.revenueCents }))}
          format={(v) => money(v, CURRENCY)}
        />
        <BarChart title="Orders per day" values={days.map((d) => ({ date: d.date, value: d.orders }))} format={String} />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="per-day-caption">
        <table>
          <caption id="per-day-caption">Revenue and orders per day (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Orders</th>
              <th scope="col">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                <td>{d.orders}</td>
                <td>{money(d.revenueCents, CURRENCY)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TopProducts() {
  const top = useQuery(trpc.admin.sales.topProducts.queryOptions({ days: 30, limit: 5 }));
  const usage = useQuery(trpc.admin.sales.discountUsage.queryOptions({ days: 30 }));
  return (
    <div className="two-col admin">
      <section aria-labelledby="top-products">
        <h2 id="top-products">Top products</h2>
        {top.isPending ? (
          <Loading />
        ) : top.isError ? (
          <ErrorState error={top.error} />
        ) : top.data.length === 0 ? (
          <p className="empty">No sales yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Units</th>
                <th scope="col">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {top.data.map((p) => (
                <tr key={p.productId}>
                  <th scope="row">{p.name}</th>
                  <td>{p.units}</td>
                  <td>{money(p.revenueCents, CURRENCY)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="discount-usage">
        <h2 id="discount-usage">Discount usage</h2>
        {usage.isPending ? (
          <Loading />
        ) : usage.isError ? (
          <ErrorState error={usage.error} />
        ) : usage.data.length === 0 ? (
          <p className="empty">No discounted orders.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Orders</th>
                <th scope="col">Given</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.map((d) => (
                <tr key={d.code}>
                  <th scope="row">{d.code}</th>
                  <td>{d.orders}</td>
                  <td>−{money(d.discountCents, CURRENCY)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function Export() {
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(isoDay(new Date()));
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setState({ busy: true });
    downloadOrdersCsv(from, to).then(
      () => setState({ busy: false }),
      (error: unknown) => setState({ busy: false, error: error instanceof Error ? error.message : "The export failed." }),
    );
  };
  return (
    <section aria-labelledby="export">
      <h2 id="export">Export orders</h2>
      <form className="toolbar" onSubmit={submit}>
        <Field label="From" name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        <Field label="To" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        <button type="submit" disabled={state.busy}>
          Download CSV
        </button>
      </form>
      {state.error && <Alert>{state.error}</Alert>}
    </section>
  );
}

/** Refunds the provider never confirmed and disputed payments: listed first, when there are any. */
function NeedsAttention() {
  const failed = useQuery(trpc.admin.orders.list.queryOptions({ paymentStatus: "refund_failed", limit: 20 }));
  const disputed = useQuery(trpc.admin.orders.list.queryOptions({ paymentStatus: "disputed", limit: 20 }));
  const items = [...(failed.data?.items ?? []), ...(disputed.data?.items ?? [])];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="attention" className="refund-failures">
      <h2 id="attention">Needs attention ({items.length})</h2>
      <ul className="orders" aria-label="Payments that need attention">
        {items.map((order) => (
          <OrderCard key={order.id} order={order} alert actions={<Attention order={order} />} />
        ))}
      </ul>
    </section>
  );
}

export const Dashboard = () => (
  <AdminPage title="Dashboard">
    <NeedsAttention />
    <Summary />
    <Daily />
    <TopProducts />
    <Export />
  </AdminPage>
);
