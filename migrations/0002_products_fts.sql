-- Full-text search over active products' name and description (catalog.list's `q`). Written by hand
-- (`drizzle-kit generate --custom`): drizzle-kit cannot describe views, virtual tables or triggers,
-- so db/schema.ts does not know these objects.
--
-- External content: the index stores no copy of the text, only postings keyed by products' implicit
-- rowid (products' primary key is text, so products is a rowid table with a hidden rowid). It holds
-- active products only, so a search ranks its matches inside the index and reads products for one
-- page, never for every match to drop archived ones (BENCHMARKS.md, "Search at scale"). The view
-- is what the index is the index of: 'rebuild' and 'integrity-check' read it.
--
-- unicode61 folds case, and remove_diacritics 2 folds accents ("cafe" finds "Café").
--
-- The triggers keep the index in step with products. Stock and rating updates touch neither name,
-- description nor status, so they do not touch the index. Two things bypass triggers and need a
-- rebuild afterwards (insert into products_fts(products_fts) values ('rebuild')): anything that
-- renumbers products' rowids (VACUUM, an export and re-import), and INSERT OR REPLACE into products
-- (its implicit delete fires no delete trigger). `wrangler d1 export` refuses a database with a
-- virtual table (workers-sdk#6305): drop the three triggers and products_fts to export, then create
-- them again from this file and rebuild.
CREATE VIEW `products_fts_source` AS SELECT rowid AS product_rowid, name, description FROM `products` WHERE status = 'active';
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name,
	description,
	content='products_fts_source',
	content_rowid='product_rowid',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `products_fts`(`products_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` WHEN new.status = 'active' BEGIN
	INSERT INTO `products_fts`(rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
--> statement-breakpoint
-- An external-content index forgets a row through the 'delete' command, given exactly the values it
-- indexed; a row it never indexed (archived) must not be deleted from it.
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` WHEN old.status = 'active' BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF name, description, status ON `products` BEGIN
	INSERT INTO `products_fts`(`products_fts`, rowid, name, description) SELECT 'delete', old.rowid, old.name, old.description WHERE old.status = 'active';
	INSERT INTO `products_fts`(rowid, name, description) SELECT new.rowid, new.name, new.description WHERE new.status = 'active';
END;
