// A product's images: the list with removal, and the upload form (the API checks the bytes).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { HttpRouteError, trpc, uploadProductImage } from "../../../api";
import { Alert, Field } from "../../../ui";

export function ProductImages({ productId }: { productId: string }) {
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
