// The product editor page: the details form beside the product's stock, status and images.
import { useQuery } from "@tanstack/react-query";
import { trpc } from "../../../api";
import { Alert, ErrorState, Loading } from "../../../ui";
import { AdminPage } from "../Shell";
import { ProductForm } from "./ProductForm";
import { ProductImages } from "./ProductImages";
import { StockAndStatus } from "./StockAndStatus";
import { VariantsGrid } from "./VariantsGrid";

export function EditProduct({ id }: { id: string }) {
  const product = useQuery(trpc.admin.products.get.queryOptions({ id }));
  const categories = useQuery(trpc.catalog.categories.queryOptions());
  const title = product.data?.name ?? "Product";
  if (product.isPending || categories.isPending)
    return (
      <AdminPage title="Product">
        <Loading what="Loading product" />
      </AdminPage>
    );
  if (product.isError)
    return (
      <AdminPage title="Product">
        <ErrorState error={product.error} />
      </AdminPage>
    );
  const p = product.data;
  const category = categories.data?.find((c) => c.id === p.categoryId)?.slug ?? "";
  return (
    <AdminPage title={`Edit ${title}`}>
      {new URLSearchParams(location.search).has("created") && <Alert kind="success">Product created. Add images and it is ready.</Alert>}
      <div className="two-col admin">
        <ProductForm
          productId={id}
          initial={{
            name: p.name,
            slug: p.slug,
            description: p.description,
            category,
            price: (p.priceCents / 100).toFixed(2),
            stock: String(p.stock),
          }}
        />
        <div className="stack">
          <StockAndStatus productId={id} />
          <VariantsGrid productId={id} />
          <ProductImages productId={id} />
        </div>
      </div>
    </AdminPage>
  );
}
