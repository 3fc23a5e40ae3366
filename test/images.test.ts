// Product images: uploaded by admins as raw bytes, checked by content, stripped of metadata,
// stored in R2, served at a versioned URL with a year-long immutable Cache-Control and an ETag.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bytesOf, GRADIENT_JPEG, GRADIENT_PNG, GRADIENT_WEBP } from "./fixtures/images";
import { INCOMPLETE_IMAGES } from "./fixtures/incomplete";
import { ErrorBody } from "../router/error-shape";
import { contains, jpegWithExif, SECRET } from "./fixtures/metadata";
import { errorCode, signedUpUser } from "./helpers/client";
import { createProduct, signedUpAdmin } from "./helpers/shop";

const BASE = "http://storefront.test";

function upload(productId: string, body: Uint8Array, token?: string, alt = "") {
  return SELF.fetch(`${BASE}/uploads/products/${productId}/images${alt ? `?alt=${encodeURIComponent(alt)}` : ""}`, {
    method: "POST",
    // The declared type and a file name are ignored: only the bytes count.
    headers: { "content-type": "image/jpeg", "x-file-name": "photo.jpg", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

interface Uploaded {
  image: { id: string; url: string; width: number; height: number; alt: string };
}

describe("product images", () => {
  it("uploads an image, strips its EXIF, and serves it with immutable caching and an ETag", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct();
    const response = await upload(product.id, jpegWithExif(), admin.session.tokens!.accessToken, "A red kettle");
    expect(response.status).toBe(201);
    const { image } = await response.json<Uploaded>();
    expect(image).toMatchObject({ width: 64, height: 48, alt: "A red kettle" });
    expect(image.url).toMatch(new RegExp(`^/images/products/${product.id}/[0-9a-f-]+-[0-9a-f]{16}\\.jpg$`));

    const served = await SELF.fetch(`${BASE}${image.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = served.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(contains(bytes, SECRET)).toBe(false);
    expect(contains(bytes, "Exif")).toBe(false);
    // Exactly the camera-less original: only the APP1 segment went.
    expect(bytes).toEqual(bytesOf(GRADIENT_JPEG));

    const again = await SELF.fetch(`${BASE}${image.url}`, { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    const changed = await SELF.fetch(`${BASE}${image.url}`, { headers: { "if-none-match": '"something-else"' } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  it("refuses a file that is not an image, whatever its name and declared type", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct();
    const response = await upload(
      product.id,
      new TextEncoder().encode("Not a picture at all, just text named photo.jpg"),
      admin.session.tokens!.accessToken,
    );
    expect(response.status).toBe(422);
    // The API's one error shape, as REST and tRPC's formatter answer.
    expect(ErrorBody.parse(await response.json())).toMatchObject({
      message: "This file is not a JPEG, PNG or WebP image.",
      code: "UNPROCESSABLE_CONTENT",
      data: { code: "UNPROCESSABLE_CONTENT", httpStatus: 422, requestId: response.headers.get("x-request-id") },
    });
    expect(await admin.client.admin.products.images.query({ productId: product.id })).toEqual([]);
  });

  it("refuses an image cut off before its end (JPEG, PNG, WebP) with 422, storing nothing", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct();
    for (const [name, make] of INCOMPLETE_IMAGES) {
      const response = await upload(product.id, make(), admin.session.tokens!.accessToken);
      expect(response.status, name).toBe(422);
      expect(ErrorBody.parse(await response.json()), name).toMatchObject({
        message: expect.stringContaining("incomplete") as string,
        data: { code: "UNPROCESSABLE_CONTENT", httpStatus: 422 },
      });
    }
    expect(await admin.client.admin.products.images.query({ productId: product.id })).toEqual([]);
    expect((await env.IMAGES.list({ prefix: `products/${product.id}/` })).objects).toEqual([]);
  });

  it("lets only admins upload, and only to a product that exists", async () => {
    const customer = await signedUpUser();
    const admin = await signedUpAdmin();
    const product = await createProduct();
    expect((await upload(product.id, bytesOf(GRADIENT_PNG))).status).toBe(401);
    expect((await upload(product.id, bytesOf(GRADIENT_PNG), customer.session.tokens!.accessToken)).status).toBe(403);
    expect((await upload("no-such-product", bytesOf(GRADIENT_PNG), admin.session.tokens!.accessToken)).status).toBe(404);
  });

  it("shows images with their sizes on the catalog and product views at once; a product without images has none", async () => {
    const admin = await signedUpAdmin();
    const product = await createProduct({ name: `Pictured ${crypto.randomUUID().slice(0, 6)}` });
    const plain = await createProduct();
    // Cached before the upload: the upload must invalidate the catalog.
    expect((await admin.client.catalog.get.query({ slug: product.slug })).images).toEqual([]);
    const token = admin.session.tokens!.accessToken;
    const first = await (await upload(product.id, bytesOf(GRADIENT_WEBP), token)).json<Uploaded>();
    const second = await (await upload(product.id, bytesOf(GRADIENT_PNG), token)).json<Uploaded>();

    const view = await admin.client.catalog.get.query({ slug: product.slug });
    expect(view.images).toEqual([
      { url: first.image.url, width: 64, height: 48, alt: product.name },
      { url: second.image.url, width: 64, height: 48, alt: product.name },
    ]);
    expect(first.image.url).toMatch(/\.webp$/);
    const listed = await admin.client.catalog.list.query({ q: product.name });
    expect(listed.items.find((p) => p.id === product.id)?.images).toEqual(view.images);
    expect((await admin.client.catalog.get.query({ slug: plain.slug })).images).toEqual([]);

    await admin.client.admin.products.removeImage.mutate({ productId: product.id, imageId: first.image.id });
    expect((await admin.client.catalog.get.query({ slug: product.slug })).images.map((i) => i.url)).toEqual([second.image.url]);
    expect((await SELF.fetch(`${BASE}${first.image.url}`)).status).toBe(404);
    expect(await errorCode(admin.client.admin.products.removeImage.mutate({ productId: product.id, imageId: first.image.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("answers 404 for a key that is not an image's", async () => {
    for (const path of ["/images/../secrets", "/images/products/x/y.svg", "/images/products/p/i-0123456789abcdef.jpg"]) {
      expect((await SELF.fetch(`${BASE}${path}`)).status, path).toBe(404);
    }
  });
});
