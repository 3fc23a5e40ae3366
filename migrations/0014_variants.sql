CREATE TABLE `product_options` (
	`product_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`values` text NOT NULL,
	PRIMARY KEY(`product_id`, `position`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "product_options_at_most_three" CHECK("product_options"."position" between 0 and 2)
);
--> statement-breakpoint
CREATE TABLE `product_variants` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`sku` text NOT NULL,
	`option1` text DEFAULT '' NOT NULL,
	`option2` text DEFAULT '' NOT NULL,
	`option3` text DEFAULT '' NOT NULL,
	`price_cents` integer NOT NULL,
	`stock` integer DEFAULT 0 NOT NULL,
	`weight_grams` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`image_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`image_id`) REFERENCES `product_images`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "product_variants_stock_nonnegative" CHECK("product_variants"."stock" >= 0),
	CONSTRAINT "product_variants_price_nonnegative" CHECK("product_variants"."price_cents" >= 0),
	CONSTRAINT "product_variants_weight_nonnegative" CHECK("product_variants"."weight_grams" is null or "product_variants"."weight_grams" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_sku_unique` ON `product_variants` (`sku`);--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_combination` ON `product_variants` (`product_id`,`option1`,`option2`,`option3`);--> statement-breakpoint
CREATE INDEX `product_variants_product_idx` ON `product_variants` (`product_id`,`position`,`id`);--> statement-breakpoint
-- hand-written: every existing product becomes one default variant carrying its price and stock.
-- Its id is the product's id, so the cart and order lines below name it without a lookup; its SKU
-- is the product's slug (unique, as SKUs must be). Archived products keep an active variant: the
-- product's own status already takes it off sale.
INSERT INTO `product_variants` (`id`, `product_id`, `sku`, `price_cents`, `stock`, `status`, `position`, `created_at`)
SELECT `id`, `id`, `slug`, `price_cents`, `stock`, 'active', 0, `created_at` FROM `products`;--> statement-breakpoint
-- end hand-written
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_cart_lines` (
	`user_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`added_price_cents` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `variant_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `product_variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cart_lines_quantity" CHECK("__new_cart_lines"."quantity" between 1 and 99)
);
--> statement-breakpoint
-- hand-written (replaces the generated copy): a line's variant is its product's default variant, whose id is the product's.
INSERT INTO `__new_cart_lines`("user_id", "product_id", "variant_id", "quantity", "added_price_cents", "created_at") SELECT "user_id", "product_id", "product_id", "quantity", "added_price_cents", "created_at" FROM `cart_lines`;--> statement-breakpoint
DROP TABLE `cart_lines`;--> statement-breakpoint
ALTER TABLE `__new_cart_lines` RENAME TO `cart_lines`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_order_lines` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`name` text NOT NULL,
	`variant_label` text DEFAULT '' NOT NULL,
	`sku` text DEFAULT '' NOT NULL,
	`unit_price_cents` integer NOT NULL,
	`quantity` integer NOT NULL,
	`tax_cents` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`, `variant_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `product_variants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- hand-written (replaces the generated copy): the default variant (the product's id), no label, and its SKU (the product's slug) as the snapshot.
INSERT INTO `__new_order_lines`("order_id", "product_id", "variant_id", "name", "variant_label", "sku", "unit_price_cents", "quantity", "tax_cents") SELECT "order_id", "product_id", "product_id", "name", '', (SELECT `slug` FROM `products` WHERE `products`.`id` = `order_lines`.`product_id`), "unit_price_cents", "quantity", "tax_cents" FROM `order_lines`;--> statement-breakpoint
DROP TABLE `order_lines`;--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;--> statement-breakpoint
CREATE INDEX `order_lines_product_idx` ON `order_lines` (`product_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `order_lines_variant_idx` ON `order_lines` (`variant_id`,`order_id`);--> statement-breakpoint
ALTER TABLE `products` ADD `max_price_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- hand-written: a product's highest price is its only variant's, its price.
UPDATE `products` SET `max_price_cents` = `price_cents`;
-- end hand-written
