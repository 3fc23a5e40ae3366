-- Written by hand (`drizzle-kit generate --custom`): triggers and the full-text index, which
-- drizzle-kit cannot describe.
--
-- 1. products' summary of its active variants: price_cents is the "from" price (the lowest),
-- max_price_cents the highest, stock the total. Catalog lists sort and filter on products' own
-- indexes (price, stock status) and never read variants, so they stay as fast as before variants;
-- the truth of a price or a stock count is the variant's. Recomputed from the product's variants
-- (a few rows, by product_variants_product_idx) rather than adjusted by a difference, so two
-- triggers firing on one update cannot count a change twice. A product left without active
-- variants keeps its last prices and shows stock 0.
CREATE TRIGGER `product_variants_summary_after_insert` AFTER INSERT ON `product_variants` BEGIN
	UPDATE `products` SET
		`price_cents` = coalesce((SELECT min(`price_cents`) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active'), `price_cents`),
		`max_price_cents` = coalesce((SELECT max(`price_cents`) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active'), `max_price_cents`),
		`stock` = (SELECT coalesce(sum(`stock`), 0) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active')
	WHERE `id` = new.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_summary_after_update` AFTER UPDATE OF `price_cents`, `stock`, `status`, `product_id` ON `product_variants` BEGIN
	UPDATE `products` SET
		`price_cents` = coalesce((SELECT min(`price_cents`) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active'), `price_cents`),
		`max_price_cents` = coalesce((SELECT max(`price_cents`) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active'), `max_price_cents`),
		`stock` = (SELECT coalesce(sum(`stock`), 0) FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active')
	WHERE `id` = new.product_id;
	UPDATE `products` SET
		`price_cents` = coalesce((SELECT min(`price_cents`) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active'), `price_cents`),
		`max_price_cents` = coalesce((SELECT max(`price_cents`) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active'), `max_price_cents`),
		`stock` = (SELECT coalesce(sum(`stock`), 0) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active')
	WHERE `id` = old.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_summary_after_delete` AFTER DELETE ON `product_variants` BEGIN
	UPDATE `products` SET
		`price_cents` = coalesce((SELECT min(`price_cents`) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active'), `price_cents`),
		`max_price_cents` = coalesce((SELECT max(`price_cents`) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active'), `max_price_cents`),
		`stock` = (SELECT coalesce(sum(`stock`), 0) FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active')
	WHERE `id` = old.product_id;
END;
--> statement-breakpoint
-- 2. Search finds a product by its active variants' SKUs: products_fts (migrations/0002) gains a
-- `skus` column, the product's active SKUs in order, space-separated (the tokenizer splits
-- "TEE-M-BLU" into words, as the query side does). An external-content index forgets a row only
-- when given exactly the values it indexed, so every trigger computes the SKU text the same way
-- (active SKUs in order), and a variant's triggers rebuild the text as it was before the change
-- (the other variants, plus the changed row's old SKU if it was active) to forget the product's
-- row, then index it again. AFTER triggers only: a BEFORE INSERT trigger also fires for an INSERT
-- OR IGNORE that then inserts nothing (running the seed twice corrupted the index). Never INSERT
-- OR REPLACE a variant: its implicit delete fires no trigger. Stock and price changes touch
-- neither SKU nor status: the checkout's updates never touch the index. A variant never moves to
-- another product (nothing updates product_id).
DROP TRIGGER `products_fts_after_insert`;
--> statement-breakpoint
DROP TRIGGER `products_fts_after_delete`;
--> statement-breakpoint
DROP TRIGGER `products_fts_after_update`;
--> statement-breakpoint
DROP TABLE `products_fts`;
--> statement-breakpoint
DROP VIEW `products_fts_source`;
--> statement-breakpoint
CREATE VIEW `products_fts_source` AS SELECT rowid AS product_rowid, name, description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = `products`.`id` AND `status` = 'active' ORDER BY `sku`)), '') AS skus FROM `products` WHERE status = 'active';
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name,
	description,
	skus,
	content='products_fts_source',
	content_rowid='product_rowid',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `products_fts`(`products_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` WHEN new.status = 'active' BEGIN
	INSERT INTO `products_fts`(rowid, name, description, skus) VALUES (new.rowid, new.name, new.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = new.id AND `status` = 'active' ORDER BY `sku`)), ''));
END;
--> statement-breakpoint
-- BEFORE, unlike migration 0002's AFTER: deleting a product cascades to its variants, and once they
-- are gone its indexed SKU text can no longer be computed. (The variants' own delete triggers find
-- no product by then and leave the index alone.)
CREATE TRIGGER `products_fts_before_delete` BEFORE DELETE ON `products` WHEN old.status = 'active' BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description, skus) VALUES ('delete', old.rowid, old.name, old.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = old.id AND `status` = 'active' ORDER BY `sku`)), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF name, description, status ON `products` BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description, skus) SELECT 'delete', old.rowid, old.name, old.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = old.id AND `status` = 'active' ORDER BY `sku`)), '') WHERE old.status = 'active';
	INSERT INTO `products_fts`(rowid, name, description, skus) SELECT new.rowid, new.name, new.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = new.id AND `status` = 'active' ORDER BY `sku`)), '') WHERE new.status = 'active';
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_insert` AFTER INSERT ON `product_variants` BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description, skus) SELECT 'delete', p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active' AND `id` <> new.id ORDER BY 1)), '') FROM `products` p WHERE p.id = new.product_id AND p.status = 'active';
	INSERT INTO `products_fts`(rowid, name, description, skus) SELECT p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = p.id AND `status` = 'active' ORDER BY `sku`)), '') FROM `products` p WHERE p.id = new.product_id AND p.status = 'active';
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_update` AFTER UPDATE OF `sku`, `status` ON `product_variants` BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description, skus) SELECT 'delete', p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = new.product_id AND `status` = 'active' AND `id` <> old.id UNION ALL SELECT old.sku WHERE old.status = 'active' ORDER BY 1)), '') FROM `products` p WHERE p.id = new.product_id AND p.status = 'active';
	INSERT INTO `products_fts`(rowid, name, description, skus) SELECT p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = p.id AND `status` = 'active' ORDER BY `sku`)), '') FROM `products` p WHERE p.id = new.product_id AND p.status = 'active';
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_delete` AFTER DELETE ON `product_variants` BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description, skus) SELECT 'delete', p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = old.product_id AND `status` = 'active' AND `id` <> old.id UNION ALL SELECT old.sku WHERE old.status = 'active' ORDER BY 1)), '') FROM `products` p WHERE p.id = old.product_id AND p.status = 'active';
	INSERT INTO `products_fts`(rowid, name, description, skus) SELECT p.rowid, p.name, p.description, coalesce((SELECT group_concat(`sku`, ' ') FROM (SELECT `sku` FROM `product_variants` WHERE `product_id` = p.id AND `status` = 'active' ORDER BY `sku`)), '') FROM `products` p WHERE p.id = old.product_id AND p.status = 'active';
END;
