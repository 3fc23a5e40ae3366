// catalog.list's `q`: full-text search over the FTS5 index, kept in step with products by triggers.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, testClient, uniqueIp } from "./helpers/client";
import { createCategory, createProduct, signedUpAdmin } from "./helpers/shop";

// Words unique to this file's run, so other tests' products never match (storage is per file,
// but within the file every test adds products to one catalog).
const word = (tag: string) =>
  `${tag}${crypto
    .randomUUID()
    .replace(/[^a-f]/g, "")
    .slice(0, 10)}`;

const search = (q: string, more: { category?: string; limit?: number; cursor?: string; sort?: "newest" | "price_asc" } = {}) =>
  testClient().client.catalog.list.query({ q, ...more });
const idsOf = (page: { items: { id: string }[] }) => page.items.map((p) => p.id);

/** The HTTP status of catalog.list called with this search, as a browser would send it. */
async function statusFor(q: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { q } }));
  const response = await SELF.fetch(`http://storefront.test/trpc/catalog.list?input=${input}`, {
    headers: { "cf-connecting-ip": uniqueIp() },
  });
  await response.arrayBuffer();
  return response.status;
}

describe("catalog.list search", () => {
  it("matches words as prefixes, in any case", async () => {
    const tag = word("steel");
    const kettle = await createProduct({ name: `${tag}works Kettle` });
    expect(idsOf(await search(tag.slice(0, -2)))).toEqual([kettle.id]);
    expect(idsOf(await search(tag.toUpperCase()))).toEqual([kettle.id]);
    expect(idsOf(await search(`${tag}works kett`))).toEqual([kettle.id]);
    expect(idsOf(await search(`${tag} spoon`))).toEqual([]); // every word must match
    expect(idsOf(await search(`works${tag}`))).toEqual([]); // a prefix, not any substring
  });

  it("ignores accents both ways", async () => {
    const tag = word("x");
    const cafe = await createProduct({ name: `Café ${tag}` });
    const creme = await createProduct({ name: `Creme ${tag}` });
    expect(idsOf(await search(`cafe ${tag}`))).toEqual([cafe.id]);
    expect(idsOf(await search(`CAFÉ ${tag}`))).toEqual([cafe.id]);
    expect(idsOf(await search(`crème ${tag}`))).toEqual([creme.id]);
  });

  it("ranks a match in the name before matches only in the description", async () => {
    const tag = word("lamp");
    // Same length, and the description-only product has more hits: only the name's weight puts it first.
    const inDescription = await createProduct({ name: "Desk light", description: `${tag} with ${tag} bulbs` });
    const inName = await createProduct({ name: `Brass ${tag}`, description: "For reading at night" });
    expect(idsOf(await search(tag))).toEqual([inName.id, inDescription.id]);
  });

  it("shows only active products, in the asked category", async () => {
    const tag = word("chair");
    const category = await createCategory();
    const active = await createProduct({ name: `${tag} one`, categoryId: category.id });
    await createProduct({ name: `${tag} archived`, categoryId: category.id, status: "archived" });
    const elsewhere = await createProduct({ name: `${tag} elsewhere` });
    expect(idsOf(await search(tag, { category: category.slug }))).toEqual([active.id]);
    expect(idsOf(await search(tag)).sort()).toEqual([active.id, elsewhere.id].sort());
  });

  it("pages ranked results by cursor without gaps or repeats", async () => {
    const tag = word("mug");
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) ids.add((await createProduct({ name: `${tag} ${i}`, description: `${tag} `.repeat(i) })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search(tag, { limit: 3, cursor });
      seen.push(...idsOf(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(ids);
    expect(seen).toEqual(idsOf(await search(tag, { limit: 7 })));
  });

  it("sorts the matches when a sort is given", async () => {
    const tag = word("pen");
    const prices = [300, 100, 200];
    for (const priceCents of prices)
      await createProduct({ name: `${tag}`, priceCents, description: priceCents === 300 ? `${tag} ${tag}` : "" });
    const page = await testClient().client.catalog.list.query({ q: tag, sort: "price_asc", limit: 2 });
    expect(page.items.map((p) => p.priceCents)).toEqual([100, 200]);
    const rest = await testClient().client.catalog.list.query({ q: tag, sort: "price_asc", limit: 2, cursor: page.nextCursor! });
    expect(rest.items.map((p) => p.priceCents)).toEqual([300]);
  });

  it("finds an admin's edit on the next read, and not an archived product", async () => {
    const before = word("old");
    const after = word("new");
    const product = await createProduct({ name: `Lamp ${before}` });
    const other = await createProduct({ name: `Lamp ${before} two` });
    expect(idsOf(await search(before)).sort()).toEqual([product.id, other.id].sort()); // now cached
    const admin = await signedUpAdmin();
    await admin.client.admin.products.update.mutate({ id: product.id, name: `Lamp ${after}` });
    expect(idsOf(await search(before))).toEqual([other.id]);
    expect(idsOf(await search(after))).toEqual([product.id]);
    await admin.client.admin.products.update.mutate({ id: product.id, description: `Now with ${before} inside` });
    expect(idsOf(await search(before)).sort()).toEqual([product.id, other.id].sort());
    await admin.client.admin.products.archive.mutate({ id: product.id });
    expect(idsOf(await search(after))).toEqual([]);
    expect(idsOf(await search(before))).toEqual([other.id]);
  });

  it("forgets a deleted product's words, even when its rowid is reused", async () => {
    // Products are never deleted through the API, but the index must stay true if one is. SQLite
    // gives the next row the deleted last row's rowid: a stale entry would make it match old words.
    const gone = word("gone");
    const deleted = await createProduct({ name: `Vase ${gone}` });
    const rowidOf = async (id: string) =>
      (await env.DB.prepare("select rowid from products where id = ?1").bind(id).first<{ rowid: number }>())?.rowid;
    const deletedRowid = await rowidOf(deleted.id);
    await env.DB.prepare("delete from products where id = ?1").bind(deleted.id).run();
    const next = await createProduct({ name: `Bowl ${word("kept")}` });
    expect(await rowidOf(next.id)).toBe(deletedRowid);
    expect(idsOf(await search(gone))).toEqual([]);
  });

  it("keeps the index consistent with products through every kind of write (FTS5 integrity check)", async () => {
    const product = await createProduct({ name: word("check") });
    const archived = await createProduct({ name: word("shelved"), status: "archived" });
    const write = (sql: string, ...binds: unknown[]) =>
      env.DB.prepare(sql)
        .bind(...binds)
        .run();
    await write("update products set name = ?1, stock = 3 where id = ?2", word("renamed"), product.id);
    await write("update products set stock = 4, rating_avg = 4.5 where id = ?1", product.id);
    await write("update products set description = ?1 where id = ?2", word("described"), archived.id); // not indexed
    await write("update products set status = 'active' where id = ?1", archived.id); // indexed now
    await write("update products set status = 'archived', name = ?1 where id = ?2", word("gone"), product.id); // forgotten
    await write("delete from products where id = ?1", product.id); // archived: nothing to forget
    // Raises "database disk image is malformed" (SQLITE_CORRUPT_VTAB) when the index and its view disagree.
    await write("insert into products_fts(products_fts, rank) values ('integrity-check', 1)");
    const indexed = await env.DB.prepare("select count(*) as n from products_fts").first<{ n: number }>();
    const active = await env.DB.prepare("select count(*) as n from products where status = 'active'").first<{ n: number }>();
    expect(indexed?.n).toBe(active?.n);
  });

  it("pages ranked results within a category", async () => {
    const tag = word("cup");
    const category = await createCategory();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++)
      ids.add((await createProduct({ name: `${tag} ${i}`, categoryId: category.id, description: `${tag} `.repeat(i) })).id);
    await createProduct({ name: tag }); // another category
    const first = await search(tag, { category: category.slug, limit: 3 });
    const rest = await search(tag, { category: category.slug, limit: 3, cursor: first.nextCursor! });
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...idsOf(first), ...idsOf(rest)])).toEqual(ids);
  });
});

describe("catalog.list search never answers 5xx", () => {
  it.each([
    ["49 bytes", "a".repeat(49)],
    ["51 bytes", "b".repeat(51)],
    ["100 bytes", "c".repeat(100)],
    ["25 %", "%".repeat(25)],
    ["100 %", "%".repeat(100)],
    ["25 é (50 bytes)", "é".repeat(25)],
    ["100 é (200 bytes)", "é".repeat(100)],
    ["50 emoji (200 bytes)", "🫖".repeat(50)],
    ["FTS5 syntax", 'NEAR(steel kettle, 2) OR name:steel AND -"x" ^y* {name}:z + (a)'],
    ["an unbalanced quote", 'steel "kettle'],
    ["only quotes", '""""'],
    ["only operators", "* ^ : - + ( )"],
    ["a column filter", "description:steel"],
    ["LIKE wildcards", "_%\\%_"],
    ["SQL", "'; drop table products; --"],
    ["many words", "w ".repeat(50)],
  ])("%s", async (_, q) => {
    expect(await statusFor(q)).toBe(200);
  });

  it("finds nothing for text with no word in it, rather than the whole catalog", async () => {
    await createProduct({ name: "Plain 100% Chair" });
    for (const q of ["%", "%%%", "☕", '"', "*", "-", "%".repeat(100)]) expect(idsOf(await search(q)), q).toEqual([]);
    expect((await search("100%")).items.map((p) => p.name)).toContain("Plain 100% Chair");
  });

  it("refuses text over 100 characters with BAD_REQUEST, not a 5xx", async () => {
    expect(await errorCode(search("x".repeat(101)))).toBe("BAD_REQUEST");
    expect(await statusFor("x".repeat(101))).toBe(400);
    expect(await statusFor(`  ${"x".repeat(100)}  `)).toBe(200); // trimmed first
  });
});
