// A product's stock and its status: set the stock, archive or restore.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, fieldErrors, trpc } from "../../../api";
import { Alert, ErrorState, Field, Loading } from "../../../ui";

export function StockAndStatus({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const product = useQuery(trpc.admin.products.get.queryOptions({ id: productId }));
  const [stock, setStock] = useState<string | null>(null);
  const onSaved = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.products.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
    setStock(null);
  };
  const saveStock = useMutation(trpc.admin.products.setStock.mutationOptions({ onSuccess: onSaved }));
  const archive = useMutation(trpc.admin.products.archive.mutationOptions({ onSuccess: onSaved }));
  const restore = useMutation(trpc.admin.products.restore.mutationOptions({ onSuccess: onSaved }));
  if (product.isPending) return <Loading />;
  if (product.isError) return <ErrorState error={product.error} />;
  const p = product.data;
  return (
    <section aria-labelledby="stock-status" className="card stack">
      <h2 id="stock-status">Stock and status</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          saveStock.mutate({ productId, stock: Number(stock ?? p.stock) });
        }}
      >
        <Field
          label={`Stock of ${p.name}`}
          name="stock"
          type="number"
          min={0}
          inputMode="numeric"
          value={stock ?? String(p.stock)}
          onChange={(e) => setStock(e.target.value)}
          error={fieldErrors(saveStock.error).stock}
        />
        <button type="submit" disabled={saveStock.isPending}>
          Save stock
        </button>
      </form>
      {saveStock.isSuccess && <Alert kind="success">Stock saved: {saveStock.data.stock}.</Alert>}
      <p>
        Status: <strong data-testid="product-status">{p.status === "active" ? "On sale" : "Archived"}</strong>
      </p>
      {p.status === "active" ? (
        <button type="button" className="danger" onClick={() => archive.mutate({ id: productId })} disabled={archive.isPending}>
          Archive
        </button>
      ) : (
        <button type="button" className="secondary" onClick={() => restore.mutate({ id: productId })} disabled={restore.isPending}>
          Restore
        </button>
      )}
      {(archive.isError || restore.isError) && <Alert>{errorMessage(archive.error ?? restore.error)}</Alert>}
    </section>
  );
}
