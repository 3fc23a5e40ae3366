// Product images over plain HTTP: admins upload raw bytes (POST /uploads/products/:id/images), and
// anyone reads them at their versioned URL (GET /images/<key>), cacheable for a year.
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { kvWriteBudget, type CacheDeps } from "../db/cache";
import { createDb } from "../db/client";
import { MAX_IMAGE_BYTES } from "../domain/images";
import { IMAGE_KEY, uploadProductImage } from "../services/product-images";
import { toImageView } from "../router/views/product";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";
import { adminOnly } from "./middleware/admin-only";

const cacheDeps = (c: Context<AppEnv>): CacheDeps => ({
  kv: c.env.CACHE,
  metrics: c.get("metrics"),
  waitUntil: (p) => c.executionCtx.waitUntil(p),
  log: (event, fields) => c.get("log").warn(event, fields),
  kvWrites: kvWriteBudget(),
});

const REFUSALS = {
  not_an_image: ["UNPROCESSABLE_CONTENT", "This file is not a JPEG, PNG or WebP image."],
  incomplete_image: ["UNPROCESSABLE_CONTENT", "This image is incomplete or damaged (cut off before its end); upload the whole file again."],
  unsupported_image: ["UNPROCESSABLE_CONTENT", "AVIF images are not accepted; upload a JPEG, PNG or WebP."],
  bad_dimensions: ["UNPROCESSABLE_CONTENT", "Images must be between 1 and 8000 pixels on each side."],
  too_large: ["PAYLOAD_TOO_LARGE", "Images must be at most 5 MiB."],
  too_many_images: ["PRECONDITION_FAILED", "This product has as many images as it can have; remove one first."],
  no_product: ["NOT_FOUND", "No such product."],
} as const;

export const uploads = new Hono<AppEnv>().post(
  "/products/:productId/images",
  adminOnly,
  bodyLimit({ maxSize: MAX_IMAGE_BYTES, onError: (c) => errorResponse(c, REFUSALS.too_large[0], REFUSALS.too_large[1]) }),
  async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const alt = (c.req.query("alt") ?? "").trim().slice(0, 200);
    const result = await uploadProductImage(
      { db: createDb(c.env.DB, c.get("metrics")), bucket: c.env.IMAGES, cache: cacheDeps(c) },
      { productId: c.req.param("productId"), bytes, alt },
    );
    if (!result.ok) return errorResponse(c, REFUSALS[result.refusal][0], REFUSALS[result.refusal][1]);
    return c.json({ image: { id: result.image.id, ...toImageView(result.image) } }, 201);
  },
);

export const images = new Hono<AppEnv>().get("/*", async (c) => {
  const key = c.req.path.slice("/images/".length);
  if (!IMAGE_KEY.test(key)) return errorResponse(c, "NOT_FOUND", "No such image.");
  // The bucket answers If-None-Match itself: a matching ETag gives an object without a body.
  const object = await c.env.IMAGES.get(key, { onlyIf: c.req.raw.headers });
  if (!object) return errorResponse(c, "NOT_FOUND", "No such image.");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("etag", object.httpEtag);
  // The key carries the content hash: the bytes at this URL never change.
  headers.set("cache-control", "public, max-age=31536000, immutable");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
