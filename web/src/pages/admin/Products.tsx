// Products: a searchable list of every product (archived too), and one form to create or edit
// one, with its stock, archive/restore and images. The API's validation errors show beside fields.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorCode, errorMessage, fieldErrors, HttpRouteError, trpc, uploadProductImage } from "../../api";
import { money } from "../../format";
import { Link, navigate } from "../../router";
import { Alert, ErrorState, Field, Loading, Select, useFocusFirstInvalid } from "../../ui";
import { AdminPage } from "./Shell";

export function ProductList() {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<"" | "active" | "archived">("");
  const products = useInfiniteQuery(
    trpc.admin.products.list.infiniteQueryOptions(
      { q: q || undefined, status: status || undefined, limit: 20 },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AdminPage
      title="Products"
      actions={
        <Link to="/admin/products/new" className="button">
          New product
        </Link>
      }
    >
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search.trim());
        }}
      >
        <Field label="Find a product" name="q" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select
          label="Show"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value === "active" || e.target.value === "archived" ? e.target.value : "")}
        >
          <option value="">All products</option>
          <option value="active">On sale</option>
          <option value="archived">Archived</option>
        </Select>
        <button type="submit" className="secondary">
          Find
        </button>
      </form>
      {products.isPending ? (
        <Loading what="Loading products" />
      ) : products.isError ? (
        <ErrorState error={products.error} />
      ) : items.length === 0 ? (
        <p className="empty">No products match.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Products">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Price</th>
                <th scope="col">Stock</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/admin/products/${p.id}`}>{p.name}</Link>
                  </th>
                  <td>{p.status === "active" ? "On sale" : "Archived"}</td>
                  <td>{money(p.priceCents, p.currency)}</td>
                  <td>{p.stock}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {products.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void products.fetchNextPage()} disabled={products.isFetchingNextPage}>
          More products
        </button>
      )}
    </AdminPage>
  );
}

const toCents = (text: string) => Math.round(Number(text.replace(",", ".")) * 100);

interface Draft {
  name: string;
  slug: string;
  description: string;
  category: string;
  price: string;
  stock: string;
}

function ProductForm({ initial, productId }: { initial: Draft; productId?: string }) {
  const queryClient = useQueryClient();
  const categories = useQuery(trpc.catalog.categories.queryOptions());
  const [draft, setDraft] = useState(initial);
  const form = useRef<HTMLFormElement>(null);
  const onSaved = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.products.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  };
  const create = useMutation(
    trpc.admin.products.create.mutationOptions({ onSuccess: (p) => (onSaved(), navigate(`/admin/products/${p.id}?created=1`)) }),
  );
  const update = useMutation(trpc.admin.products.update.mutationOptions({ onSuccess: onSaved }));
  const save = productId ? update : create;
  useFocusFirstInvalid(form, save.error);
  const errors = fieldErrors(save.error);
  // A taken slug is a CONFLICT, not a validation issue: it still belongs beside the slug.
  if (errorCode(save.error) === "CONFLICT") errors.slug = errorMessage(save.error);
  if (errorCode(save.error) === "BAD_REQUEST" && !Object.keys(errors).length) errors.category = errorMessage(save.error);
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      name: draft.name,
      slug: draft.slug,
      description: draft.description,
      category: draft.category,
      priceCents: toCents(draft.price),
    };
    if (productId) update.mutate({ id: productId, ...fields });
    else create.mutate({ ...fields, stock: Number(draft.stock || "0") });
  };
  return (
    <form ref={form} onSubmit={submit} className="card stack" aria-label="Product details" noValidate>
      <Field label="Name" name="name" value={draft.name} onChange={set("name")} error={errors.name} />
      <Field
        label="Slug"
        name="slug"
        value={draft.slug}
        onChange={set("slug")}
        error={errors.slug}
        hint="The product's address: lower-case letters, digits and hyphens."
      />
      <div className="field">
        <label htmlFor="product-description">Description</label>
        <textarea
          id="product-description"
          name="description"
          rows={4}
          value={draft.description}
          onChange={set("description")}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "product-description-error" : undefined}
        />
        {errors.description && (
          <p className="field-error" id="product-description-error">
            {errors.description}
          </p>
        )}
      </div>
      <Select label="Category" name="category" value={draft.category} onChange={set("category")} error={errors.category}>
        <option value="">Choose a category</option>
        {categories.data?.map((c) => (
          <option key={c.id} value={c.slug}>
            {c.name}
          </option>
        ))}
      </Select>
      <Field label="Price (USD)" name="price" inputMode="decimal" value={draft.price} onChange={set("price")} error={errors.priceCents} />
      {!productId && (
        <Field
          label="Stock"
          name="stock"
          type="number"
          min={0}
          inputMode="numeric"
          value={draft.stock}
          onChange={set("stock")}
          error={errors.stock}
        />
      )}
      <button type="submit" disabled={save.isPending}>
        {productId ? "Save changes" : "Create product"}
      </button>
      {update.isSuccess && <Alert kind="success">Changes saved.</Alert>}
      {save.isError && !Object.keys(errors).length && <Alert>{errorMessage(save.error)}</Alert>}
    </form>
  );
}

export const NewProduct = () => (
  <AdminPage title="New product">
    <ProductForm initial={{ name: "", slug: "", description: "", category: "", price: "", stock: "0" }} />
  </AdminPage>
);

function StockAndStatus({ productId }: { productId: string }) {
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

function Images({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const images = useQuery(trpc.admin.products.images.queryOptions({ productId }));
  const [alt, setAlt] = useState("");
  const [state, setState] = useState<{ busy: boolean; error?: string; done?: boolean }>({ busy: false });
  const file = useRef<HTMLInputElement>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.products.images.queryKey({ productId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  };
  const remove = useMutation(trpc.admin.products.removeImage.mutationOptions({ onSuccess: refresh }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setState({ busy: false, error: "Choose an image file first." });
    setState({ busy: true });
    uploadProductImage(productId, chosen, alt.trim()).then(
      () => {
        setState({ busy: false, done: true });
        setAlt("");
        if (file.current) file.current.value = "";
        refresh();
      },
      (error: unknown) =>
        setState({ busy: false, error: error instanceof HttpRouteError ? error.message : "The upload failed; try again." }),
    );
  };
  return (
    <section aria-labelledby="images" className="card stack">
      <h2 id="images">Images</h2>
      {images.data && images.data.length === 0 && <p className="empty">No images yet: the shop shows a placeholder.</p>}
      <ul className="plain thumbs" aria-label="Product images">
        {images.data?.map((image) => (
          <li key={image.id}>
            <img src={image.url} width={image.width} height={image.height} alt={image.alt} />
            <button
              type="button"
              className="link"
              onClick={() => remove.mutate({ productId, imageId: image.id })}
              disabled={remove.isPending}
            >
              Remove image
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <Field
          ref={file}
          label="Image file"
          name="image"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          error={state.error}
          hint="JPEG, PNG or WebP, at most 5 MiB; camera data is removed."
        />
        <Field
          label="Description of the image"
          name="alt"
          value={alt}
          onChange={(e) => setAlt(e.target.value)}
          hint="For people who cannot see it; the product name if empty."
        />
        <button type="submit" disabled={state.busy}>
          Upload image
        </button>
      </form>
      {state.done && <Alert kind="success">Image uploaded.</Alert>}
    </section>
  );
}

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
          <Images productId={id} />
        </div>
      </div>
    </AdminPage>
  );
}
