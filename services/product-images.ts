// Product image uploads: checked by content, stripped of metadata, stored in R2 under a key that
// carries the content hash (so its URL can be cached forever), recorded in D1.
import { checkImage, IMAGE_EXTENSIONS, type ImageRefusal } from "../domain/images";
import { invalidateNamespace, type CacheDeps } from "../db/cache";
import type { Db } from "../db/client";
import { findProductById } from "../db/admin";
import { CATALOG_CACHE } from "../db/catalog";
import { countImagesOf, deleteImage, insertImage, MAX_IMAGES_PER_PRODUCT } from "../db/images";
import type { ProductImage } from "../db/schema";

export type UploadResult = { ok: true; image: ProductImage } | { ok: false; refusal: ImageRefusal | "no_product" | "too_many_images" };

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

/** An image's R2 key, which is also its URL path under /images/: product, image id, content hash. */
export const IMAGE_KEY = /^products\/[A-Za-z0-9-]{1,64}\/[A-Za-z0-9-]{1,64}-[0-9a-f]{16}\.(jpg|png|webp)$/;

export async function uploadProductImage(
  deps: { db: Db; bucket: R2Bucket; cache: CacheDeps },
  input: { productId: string; bytes: Uint8Array; alt: string },
): Promise<UploadResult> {
  const checked = checkImage(input.bytes);
  if (!checked.ok) return checked;
  const product = await findProductById(deps.db, input.productId);
  if (!product) return { ok: false, refusal: "no_product" };
  const position = await countImagesOf(deps.db, product.id);
  if (position >= MAX_IMAGES_PER_PRODUCT) return { ok: false, refusal: "too_many_images" };
  const { bytes, type, width, height } = checked.image;
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  const id = crypto.randomUUID();
  const key = `products/${product.id}/${id}-${sha256.slice(0, 16)}.${IMAGE_EXTENSIONS[type]}`;
  // R2 first: a row never points at bytes that are not there (a failed insert leaves an orphan
  // object, which costs storage but never a broken image).
  await deps.bucket.put(key, bytes, { httpMetadata: { contentType: type, cacheControl: "public, max-age=31536000, immutable" } });
  const image = await insertImage(deps.db, {
    id,
    productId: product.id,
    key,
    contentType: type,
    bytes: bytes.length,
    width,
    height,
    sha256,
    alt: input.alt || product.name,
    position,
  });
  await invalidateNamespace(deps.cache, CATALOG_CACHE);
  return { ok: true, image };
}

/** Removes an image's row, then its bytes; false when the product has no such image. */
export async function removeProductImage(deps: { db: Db; bucket: R2Bucket; cache: CacheDeps }, productId: string, id: string) {
  const removed = await deleteImage(deps.db, productId, id);
  if (!removed) return false;
  await deps.bucket.delete(removed.key);
  await invalidateNamespace(deps.cache, CATALOG_CACHE);
  return true;
}
