DROP INDEX "answer_events_candidate_seq";--> statement-breakpoint
DROP INDEX "answer_events_log";--> statement-breakpoint
ALTER TABLE "answer_events" ADD COLUMN "sitting_id" text;--> statement-breakpoint
-- the rows stored so far get their candidate's sitting: the append-only trigger steps aside for this one backfill
ALTER TABLE "answer_events" DISABLE TRIGGER "answer_events_append_only";--> statement-breakpoint
UPDATE "answer_events" SET "sitting_id" = (SELECT "sitting_id" FROM "candidates" WHERE "candidates"."id" = "answer_events"."candidate_id");--> statement-breakpoint
ALTER TABLE "answer_events" ENABLE TRIGGER "answer_events_append_only";--> statement-breakpoint
ALTER TABLE "answer_events" ADD CONSTRAINT "answer_events_sitting_id_sittings_id_fk" FOREIGN KEY ("sitting_id") REFERENCES "public"."sittings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_events_sitting" ON "answer_events" USING btree ("sitting_id","log_idx");