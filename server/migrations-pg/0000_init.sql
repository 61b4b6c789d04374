CREATE TABLE "accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" bigint,
	CONSTRAINT "accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "answer_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"candidate_id" integer NOT NULL,
	"item" integer NOT NULL,
	"kind" text NOT NULL,
	"choice" integer,
	"option_index" integer,
	"client_seq" integer NOT NULL,
	"server_ts" bigint NOT NULL,
	"score_delta" double precision DEFAULT 0 NOT NULL,
	"log_idx" integer
);
--> statement-breakpoint
CREATE TABLE "attempts" (
	"candidate_id" integer PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"admitted_at" bigint,
	"started_at" bigint,
	"duration_ms" bigint NOT NULL,
	"extension_ms" bigint DEFAULT 0 NOT NULL,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"paused_since" bigint,
	"ended_at" bigint,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"actor_id" integer,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"sitting_id" text,
	"candidate_id" integer,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "banks" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"language" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidates" (
	"id" serial PRIMARY KEY NOT NULL,
	"sitting_id" text NOT NULL,
	"registration_number" text NOT NULL,
	"name" text NOT NULL,
	"formation" text NOT NULL,
	"group_name" text NOT NULL,
	"pin_hash" text NOT NULL,
	"photo_url" text,
	"seat" text,
	"extra_minutes" integer DEFAULT 0 NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_at" bigint,
	"login_generation" integer DEFAULT 0 NOT NULL,
	"session_generation" integer,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"sitting_id" text NOT NULL,
	"size" integer NOT NULL,
	"root" text NOT NULL,
	"note" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "log_checkpoints_sitting_id_size_pk" PRIMARY KEY("sitting_id","size")
);
--> statement-breakpoint
CREATE TABLE "log_heads" (
	"sitting_id" text PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"frontier" text NOT NULL,
	"checkpoint_size" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "papers" (
	"candidate_id" integer PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"dealt_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"bank_id" text NOT NULL,
	"id" text NOT NULL,
	"section" text NOT NULL,
	"topic" text NOT NULL,
	"difficulty" text,
	"stem" text NOT NULL,
	"options" jsonb NOT NULL,
	"key" integer,
	"weights" jsonb,
	"retired" boolean DEFAULT false NOT NULL,
	CONSTRAINT "questions_bank_id_id_pk" PRIMARY KEY("bank_id","id")
);
--> statement-breakpoint
CREATE TABLE "results" (
	"candidate_id" integer PRIMARY KEY NOT NULL,
	"sitting_id" text NOT NULL,
	"sections" jsonb NOT NULL,
	"total" double precision NOT NULL,
	"threshold_set" text NOT NULL,
	"passed" boolean NOT NULL,
	"receipt_id" text NOT NULL,
	"receipt" text,
	"finished_at" bigint NOT NULL,
	"end_reason" text NOT NULL,
	CONSTRAINT "results_receipt_id_unique" UNIQUE("receipt_id")
);
--> statement-breakpoint
CREATE TABLE "sitting_log" (
	"sitting_id" text NOT NULL,
	"idx" integer NOT NULL,
	"leaf" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "sitting_log_sitting_id_idx_pk" PRIMARY KEY("sitting_id","idx")
);
--> statement-breakpoint
CREATE TABLE "sitting_proctors" (
	"sitting_id" text NOT NULL,
	"account_id" integer NOT NULL,
	CONSTRAINT "sitting_proctors_sitting_id_account_id_pk" PRIMARY KEY("sitting_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "sittings" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"template_id" text NOT NULL,
	"bank_id" text NOT NULL,
	"site" text NOT NULL,
	"room" text NOT NULL,
	"scheduled_start" bigint NOT NULL,
	"seed" text NOT NULL,
	"status" text NOT NULL,
	"require_token" boolean NOT NULL,
	"require_admission" boolean NOT NULL,
	"practice" boolean DEFAULT false NOT NULL,
	"reveal_policy" text DEFAULT 'on-finish' NOT NULL,
	"room_rows" integer,
	"room_cols" integer,
	"timezone" text DEFAULT 'Asia/Jakarta' NOT NULL,
	"beacon_round" bigint,
	"beacon_randomness" text,
	"beacon_signature" text,
	"dealt_without" jsonb,
	"token_secret" text NOT NULL,
	"token_interval_sec" integer NOT NULL,
	"vacancies" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"opened_at" bigint,
	"started_at" bigint,
	"closed_at" bigint
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"ended_at" bigint,
	"end_reason" text
);
--> statement-breakpoint
ALTER TABLE "answer_events" ADD CONSTRAINT "answer_events_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_checkpoints" ADD CONSTRAINT "log_checkpoints_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_heads" ADD CONSTRAINT "log_heads_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "papers" ADD CONSTRAINT "papers_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_bank_id_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sitting_log" ADD CONSTRAINT "sitting_log_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sitting_proctors" ADD CONSTRAINT "sitting_proctors_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sitting_proctors" ADD CONSTRAINT "sitting_proctors_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sittings" ADD CONSTRAINT "sittings_template_id_exam_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."exam_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sittings" ADD CONSTRAINT "sittings_bank_id_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "answer_events_candidate_seq" ON "answer_events" USING btree ("candidate_id","client_seq");--> statement-breakpoint
CREATE INDEX "answer_events_log" ON "answer_events" USING btree ("log_idx");--> statement-breakpoint
CREATE INDEX "audit_log_sitting" ON "audit_log" USING btree ("sitting_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "candidates_sitting_reg" ON "candidates" USING btree ("sitting_id","registration_number");--> statement-breakpoint
CREATE INDEX "candidates_reg" ON "candidates" USING btree ("registration_number");--> statement-breakpoint
CREATE INDEX "questions_bank_section" ON "questions" USING btree ("bank_id","section");--> statement-breakpoint
CREATE INDEX "results_sitting" ON "results" USING btree ("sitting_id");--> statement-breakpoint
CREATE INDEX "staff_sessions_account" ON "staff_sessions" USING btree ("account_id");