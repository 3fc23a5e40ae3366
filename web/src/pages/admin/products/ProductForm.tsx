// The product details form, to create a product or edit one; the API's validation errors show
// beside the fields they concern.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorCode, errorMessage, fieldErrors, trpc } from "../../../api";
import { navigate } from "../../../router";
import { Alert, Field, Select, useFocusFirstInvalid } from "../../../ui";
import { AdminPage } from "../Shell";

const toCents = (text: string) => Math.round(Number(text.replace(",", ".")) * 100);

interface Draft {
  name: string;
  slug: string;
  description: string;
  category: string;
  price: string;
  stock: string;
}

export function ProductForm({ initial, productId }: { initial: Draft; productId?: string }) {
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
