CREATE TABLE `log_checkpoints` (
	`sitting_id` text NOT NULL,
	`size` integer NOT NULL,
	`root` text NOT NULL,
	`note` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`sitting_id`, `size`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sitting_log` (
	`sitting_id` text NOT NULL,
	`idx` integer NOT NULL,
	`leaf` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`sitting_id`, `idx`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `candidates` ADD `seat` text;--> statement-breakpoint
ALTER TABLE `questions` ADD `retired` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `receipt` text;--> statement-breakpoint
ALTER TABLE `sittings` ADD `room_rows` integer;--> statement-breakpoint
ALTER TABLE `sittings` ADD `room_cols` integer;--> statement-breakpoint
ALTER TABLE `sittings` ADD `timezone` text DEFAULT 'Asia/Jakarta' NOT NULL;--> statement-breakpoint
ALTER TABLE `sittings` ADD `beacon_round` integer;--> statement-breakpoint
ALTER TABLE `sittings` ADD `beacon_randomness` text;