// Discounts: start one (percent or fixed, minimum, window, limit, once per customer), see how many
// times each was used, disable one.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorCode, errorMessage, fieldErrors, trpc } from "../../api";
import { date, money } from "../../format";
import { Alert, ErrorState, Field, Loading, Select, useFocusFirstInvalid } from "../../ui";
import { AdminPage } from "./Shell";

const optionalInt = (text: string, scale = 1) => (text.trim() === "" ? undefined : Math.round(Number(text) * scale));
const optionalDate = (text: string) => (text ? new Date(`${text}T00:00:00Z`) : undefined);

function NewDiscount() {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const empty = {
    code: "",
    kind: "percent" as "percent" | "fixed",
    value: "",
    minSubtotal: "",
    startsAt: "",
    endsAt: "",
    maxRedemptions: "",
    onePerCustomer: false,
  };
  const [d, setD] = useState(empty);
  const create = useMutation(
    trpc.admin.discounts.create.mutationOptions({
      onSuccess: () => {
        setD(empty);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.discounts.pathKey() });
      },
    }),
  );
  useFocusFirstInvalid(form, create.error);
  const errors = fieldErrors(create.error);
  if (errorCode(create.error) === "CONFLICT") errors.code = errorMessage(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      code: d.code,
      kind: d.kind,
      value: optionalInt(d.value, d.kind === "fixed" ? 100 : 1) ?? Number.NaN,
      minSubtotal: optionalInt(d.minSubtotal, 100),
      startsAt: optionalDate(d.startsAt),
      endsAt: optionalDate(d.endsAt),
      maxRedemptions: optionalInt(d.maxRedemptions),
      onePerCustomer: d.onePerCustomer,
    });
  };
  return (
    <form ref={form} className="card stack" onSubmit={submit} aria-labelledby="new-discount" noValidate>
      <h2 id="new-discount">Start a discount</h2>
      <Field label="Code" name="code" value={d.code} onChange={(e) => setD({ ...d, code: e.target.value })} error={errors.code} />
      <Select
        label="Kind"
        name="kind"
        value={d.kind}
        onChange={(e) => setD({ ...d, kind: e.target.value === "fixed" ? "fixed" : "percent" })}
      >
        <option value="percent">Percent off</option>
        <option value="fixed">Fixed amount off (USD)</option>
      </Select>
      <Field
        label={d.kind === "percent" ? "Percent off" : "Amount off (USD)"}
        name="value"
        inputMode="decimal"
        value={d.value}
        onChange={(e) => setD({ ...d, value: e.target.value })}
        error={errors.value}
      />
      <Field
        label="Minimum subtotal (USD, optional)"
        name="minSubtotal"
        inputMode="decimal"
        value={d.minSubtotal}
        onChange={(e) => setD({ ...d, minSubtotal: e.target.value })}
        error={errors.minSubtotal}
      />
      <Field
        label="Starts (optional)"
        name="startsAt"
        type="date"
        value={d.startsAt}
        onChange={(e) => setD({ ...d, startsAt: e.target.value })}
        error={errors.startsAt}
      />
      <Field
        label="Ends (optional)"
        name="endsAt"
        type="date"
        value={d.endsAt}
        onChange={(e) => setD({ ...d, endsAt: e.target.value })}
        error={errors.endsAt}
      />
      <Field
        label="Maximum uses (optional)"
        name="maxRedemptions"
        type="number"
        min={1}
        inputMode="numeric"
        value={d.maxRedemptions}
        onChange={(e) => setD({ ...d, maxRedemptions: e.target.value })}
        error={errors.maxRedemptions}
      />
      <div className="field checkbox">
        <input
          id="one-per-customer"
          type="checkbox"
          checked={d.onePerCustomer}
          onChange={(e) => setD({ ...d, onePerCustomer: e.target.checked })}
        />
        <label htmlFor="one-per-customer">Once per customer</label>
      </div>
      <button type="submit" disabled={create.isPending}>
        Start discount
      </button>
      {create.isSuccess && <Alert kind="success">Discount {create.data.code} started.</Alert>}
      {create.isError && !Object.keys(errors).length && <Alert>{errorMessage(create.error)}</Alert>}
    </form>
  );
}

function DiscountList() {
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(
    trpc.admin.discounts.list.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const disable = useMutation(
    trpc.admin.discounts.disable.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.discounts.pathKey() }),
    }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isPending) return <Loading what="Loading discounts" />;
  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <section aria-labelledby="discounts">
      <h2 id="discounts">Discounts</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Off</th>
              <th scope="col">Used</th>
              <th scope="col">Window</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid="discount-row" data-code={d.code}>
                <th scope="row">{d.code}</th>
                <td>
                  {d.kind === "percent" ? `${d.value}%` : money(d.value, "USD")}
                  {d.minSubtotalCents !== null && ` over ${money(d.minSubtotalCents, "USD")}`}
                  {d.onePerCustomer && ", once each"}
                </td>
                <td data-testid="discount-used">
                  {d.redemptions}
                  {d.maxRedemptions !== null && ` of ${d.maxRedemptions}`}
                </td>
                <td>
                  {d.startsAt ? date(d.startsAt) : "now"} – {d.endsAt ? date(d.endsAt) : "open"}
                </td>
                <td>
                  {d.active ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => disable.mutate({ id: d.id })}
                      disabled={disable.isPending}
                      aria-label={`Disable ${d.code}`}
                    >
                      Disable
                    </button>
                  ) : (
                    "Disabled"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          More discounts
        </button>
      )}
    </section>
  );
}

export const Discounts = () => (
  <AdminPage title="Discounts">
    <div className="two-col admin">
      <NewDiscount />
      <DiscountList />
    </div>
  </AdminPage>
);
