CREATE TABLE `log_heads` (
	`sitting_id` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`frontier` text NOT NULL,
	`checkpoint_size` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `answer_events` ADD `log_idx` integer;--> statement-breakpoint
CREATE INDEX `answer_events_log` ON `answer_events` (`log_idx`);--> statement-breakpoint
ALTER TABLE `sittings` ADD `beacon_signature` text;--> statement-breakpoint
ALTER TABLE `sittings` ADD `dealt_without` text;