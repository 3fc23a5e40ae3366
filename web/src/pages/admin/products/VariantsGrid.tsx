// A product's options and variants as a grid: SKU, values, price and stock per row, saved at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, trpc } from "../../../api";
import { Alert, ErrorState, Loading } from "../../../ui";

interface OptionRow {
  name: string;
  /** Comma-separated, as typed. */
  values: string;
}

interface VariantRow {
  id?: string;
  sku: string;
  /** The option values joined by " / ", as typed ("M / Blue"). */
  values: string;
  price: string;
  stock: string;
  status: "active" | "archived";
}

const split = (text: string, separator: string) =>
  text
    .split(separator)
    .map((v) => v.trim())
    .filter((v) => v !== "");

export function VariantsGrid({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const grid = useQuery(trpc.admin.variants.get.queryOptions({ productId }));
  const [edited, setEdited] = useState<{ options: OptionRow[]; variants: VariantRow[] } | null>(null);
  const save = useMutation(
    trpc.admin.variants.save.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.variants.get.queryKey({ productId }), saved);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.products.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
        setEdited(null);
      },
    }),
  );
  if (grid.isPending) return <Loading what="Loading variants" />;
  if (grid.isError) return <ErrorState error={grid.error} />;
  const current = edited ?? {
    options: grid.data.options.map((o) => ({ name: o.name, values: o.values.join(", ") })),
    variants: grid.data.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      values: v.optionValues.join(" / "),
      price: (v.priceCents / 100).toFixed(2),
      stock: String(v.stock),
      status: v.status,
    })),
  };
  const setVariant = (index: number, patch: Partial<VariantRow>) =>
    setEdited({ ...current, variants: current.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) });
  const setOption = (index: number, patch: Partial<OptionRow>) =>
    setEdited({ ...current, options: current.options.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  const submit = () =>
    save.mutate({
      productId,
      options: current.options.filter((o) => o.name.trim() !== "").map((o) => ({ name: o.name.trim(), values: split(o.values, ",") })),
      // Archived rows left as they are: saving them keeps their values and ids.
      variants: current.variants.map((v) => ({
        ...(v.id ? { id: v.id } : {}),
        sku: v.sku.trim(),
        optionValues: split(v.values, "/"),
        priceCents: Math.round(Number(v.price) * 100),
        stock: Number(v.stock),
        status: v.status,
      })),
    });
  return (
    <section aria-labelledby="variants-heading" className="card stack">
      <h2 id="variants-heading">Options and variants</h2>
      <table>
        <caption>Options (at most three), values separated by commas</caption>
        <tbody>
          {current.options.map((o, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Option ${i + 1} name`} value={o.name} onChange={(e) => setOption(i, { name: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Option ${i + 1} values`} value={o.values} onChange={(e) => setOption(i, { values: e.target.value })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {current.options.length < 3 && (
        <button
          type="button"
          className="secondary"
          onClick={() => setEdited({ ...current, options: [...current.options, { name: "", values: "" }] })}
        >
          Add option
        </button>
      )}
      <table>
        <caption>Variants</caption>
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Values</th>
            <th scope="col">Price</th>
            <th scope="col">Stock</th>
            <th scope="col">On sale</th>
          </tr>
        </thead>
        <tbody>
          {current.variants.map((v, i) => (
            <tr key={v.id ?? `new-${i}`}>
              <td>
                <input aria-label={`SKU of variant ${i + 1}`} value={v.sku} onChange={(e) => setVariant(i, { sku: e.target.value })} />
              </td>
              <td>
                <input
                  aria-label={`Values of variant ${i + 1}`}
                  value={v.values}
                  onChange={(e) => setVariant(i, { values: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Price of variant ${i + 1}`}
                  inputMode="decimal"
                  value={v.price}
                  onChange={(e) => setVariant(i, { price: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Stock of variant ${i + 1}`}
                  type="number"
                  min={0}
                  value={v.stock}
                  onChange={(e) => setVariant(i, { stock: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Variant ${i + 1} on sale`}
                  checked={v.status === "active"}
                  onChange={(e) => setVariant(i, { status: e.target.checked ? "active" : "archived" })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            setEdited({ ...current, variants: [...current.variants, { sku: "", values: "", price: "0.00", stock: "0", status: "active" }] })
          }
        >
          Add variant
        </button>
        <button type="button" onClick={submit} disabled={save.isPending}>
          Save variants
        </button>
      </div>
      {save.isSuccess && !edited && <Alert kind="success">Variants saved.</Alert>}
      {save.isError && <Alert>{errorMessage(save.error)}</Alert>}
    </section>
  );
}
