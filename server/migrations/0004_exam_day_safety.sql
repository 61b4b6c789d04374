CREATE TABLE `staff_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_sessions_account` ON `staff_sessions` (`account_id`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `failed_logins` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `locked_until` integer;--> statement-breakpoint
ALTER TABLE `sittings` ADD `reveal_policy` text DEFAULT 'on-finish' NOT NULL;