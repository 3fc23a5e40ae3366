CREATE TABLE `co_purchases` (
	`product_id` text NOT NULL,
	`other_id` text NOT NULL,
	`together` integer NOT NULL,
	PRIMARY KEY(`product_id`, `other_id`)
);
--> statement-breakpoint
CREATE INDEX `co_purchases_rank_idx` ON `co_purchases` (`product_id`,`together`,`other_id`);
--> statement-breakpoint
-- Backfill from the orders already purchased (paid, shipped or delivered), as recommendations counted them until now.
INSERT INTO `co_purchases` (`product_id`, `other_id`, `together`)
SELECT `mine`.`product_id`, `other`.`product_id`, count(*)
FROM `order_lines` `mine`
JOIN `orders` ON `orders`.`id` = `mine`.`order_id` AND `orders`.`status` IN ('paid', 'shipped', 'delivered')
JOIN `order_lines` `other` ON `other`.`order_id` = `mine`.`order_id` AND `other`.`product_id` <> `mine`.`product_id`
GROUP BY `mine`.`product_id`, `other`.`product_id`;
