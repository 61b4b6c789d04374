CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_username_unique` ON `accounts` (`username`);--> statement-breakpoint
CREATE TABLE `answer_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`item` integer NOT NULL,
	`kind` text NOT NULL,
	`choice` integer,
	`option_index` integer,
	`client_seq` integer NOT NULL,
	`server_ts` integer NOT NULL,
	`score_delta` real DEFAULT 0 NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answer_events_candidate_seq` ON `answer_events` (`candidate_id`,`client_seq`);--> statement-breakpoint
CREATE TABLE `attempts` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`admitted_at` integer,
	`started_at` integer,
	`duration_ms` integer NOT NULL,
	`extension_ms` integer DEFAULT 0 NOT NULL,
	`paused_ms` integer DEFAULT 0 NOT NULL,
	`paused_since` integer,
	`ended_at` integer,
	`end_reason` text,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_name` text NOT NULL,
	`actor_role` text NOT NULL,
	`sitting_id` text,
	`candidate_id` integer,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_sitting` ON `audit_log` (`sitting_id`,`at`);--> statement-breakpoint
CREATE TABLE `banks` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`language` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `candidates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sitting_id` text NOT NULL,
	`registration_number` text NOT NULL,
	`name` text NOT NULL,
	`formation` text NOT NULL,
	`group_name` text NOT NULL,
	`pin_hash` text NOT NULL,
	`photo_url` text,
	`extra_minutes` integer DEFAULT 0 NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_at` integer,
	`login_generation` integer DEFAULT 0 NOT NULL,
	`session_generation` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `candidates_sitting_reg` ON `candidates` (`sitting_id`,`registration_number`);--> statement-breakpoint
CREATE TABLE `exam_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `papers` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`items` text NOT NULL,
	`dealt_at` integer NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `questions` (
	`bank_id` text NOT NULL,
	`id` text NOT NULL,
	`section` text NOT NULL,
	`topic` text NOT NULL,
	`difficulty` text,
	`stem` text NOT NULL,
	`options` text NOT NULL,
	`key` integer,
	`weights` text,
	PRIMARY KEY(`bank_id`, `id`),
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `questions_bank_section` ON `questions` (`bank_id`,`section`);--> statement-breakpoint
CREATE TABLE `results` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`sitting_id` text NOT NULL,
	`sections` text NOT NULL,
	`total` real NOT NULL,
	`threshold_set` text NOT NULL,
	`passed` integer NOT NULL,
	`receipt_id` text NOT NULL,
	`finished_at` integer NOT NULL,
	`end_reason` text NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `results_receipt_id_unique` ON `results` (`receipt_id`);--> statement-breakpoint
CREATE INDEX `results_sitting` ON `results` (`sitting_id`);--> statement-breakpoint
CREATE TABLE `sitting_proctors` (
	`sitting_id` text NOT NULL,
	`account_id` integer NOT NULL,
	PRIMARY KEY(`sitting_id`, `account_id`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sittings` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`template_id` text NOT NULL,
	`bank_id` text NOT NULL,
	`site` text NOT NULL,
	`room` text NOT NULL,
	`scheduled_start` integer NOT NULL,
	`seed` text NOT NULL,
	`status` text NOT NULL,
	`require_token` integer NOT NULL,
	`require_admission` integer NOT NULL,
	`token_secret` text NOT NULL,
	`token_interval_sec` integer NOT NULL,
	`vacancies` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`opened_at` integer,
	`started_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`template_id`) REFERENCES `exam_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE no action
);
