CREATE TABLE `shipping_options` (
	`id` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	`name` text NOT NULL,
	`rate_kind` text NOT NULL,
	`flat_cents` integer DEFAULT 0 NOT NULL,
	`free_from_cents` integer,
	`min_days` integer NOT NULL,
	`max_days` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "shipping_options_amounts" CHECK("shipping_options"."flat_cents" >= 0 and ("shipping_options"."free_from_cents" is null or "shipping_options"."free_from_cents" >= 0)),
	CONSTRAINT "shipping_options_days" CHECK("shipping_options"."min_days" >= 0 and "shipping_options"."max_days" >= "shipping_options"."min_days")
);
--> statement-breakpoint
CREATE INDEX `shipping_options_zone_idx` ON `shipping_options` (`zone_id`,`position`);--> statement-breakpoint
CREATE TABLE `shipping_rate_bands` (
	`option_id` text NOT NULL,
	`up_to_grams` integer NOT NULL,
	`cents` integer NOT NULL,
	PRIMARY KEY(`option_id`, `up_to_grams`),
	FOREIGN KEY (`option_id`) REFERENCES `shipping_options`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "shipping_rate_bands_values" CHECK("shipping_rate_bands"."up_to_grams" >= 0 and "shipping_rate_bands"."cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE `shipping_zone_countries` (
	`country` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `shipping_zones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipping_zones_one_default` ON `shipping_zones` (`is_default`) WHERE "shipping_zones"."is_default" = 1;--> statement-breakpoint
CREATE TABLE `tax_rates` (
	`country` text NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`rate_basis_points` integer NOT NULL,
	`inclusive` integer NOT NULL,
	`tax_shipping` integer NOT NULL,
	PRIMARY KEY(`country`, `region`),
	CONSTRAINT "tax_rates_rate" CHECK("tax_rates"."rate_basis_points" between 0 and 10000)
);
--> statement-breakpoint
ALTER TABLE `order_lines` ADD `tax_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_tax_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_inclusive` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_option_id` text;