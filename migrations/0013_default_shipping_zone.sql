-- hand-written: the shipping policy the shop had before zones (a flat 4.99, free from 50.00,
-- lib/config.ts's SHIPPING_FLAT_CENTS / FREE_SHIPPING_FROM_CENTS defaults) becomes the default
-- zone, which ships to every country no other zone lists, with its one option "Standard".
-- Carts and checkouts that name no option get it, so their totals are what they were.
INSERT INTO `shipping_zones` (`id`, `name`, `is_default`) VALUES ('default', 'Everywhere else', 1);--> statement-breakpoint
INSERT INTO `shipping_options` (`id`, `zone_id`, `name`, `rate_kind`, `flat_cents`, `free_from_cents`, `min_days`, `max_days`, `position`)
VALUES ('standard', 'default', 'Standard', 'flat', 499, 5000, 3, 7, 0);
