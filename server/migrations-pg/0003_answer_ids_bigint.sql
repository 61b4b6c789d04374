-- answer ids and client seqs as wide as SQLite's integers (drizzle-kit writes "SET DATA TYPE
-- bigserial", which PostgreSQL has no type for: the column becomes bigint and its sequence too)
ALTER TABLE "answer_events" ALTER COLUMN "id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER SEQUENCE "answer_events_id_seq" AS bigint;--> statement-breakpoint
ALTER TABLE "answer_events" ALTER COLUMN "client_seq" SET DATA TYPE bigint;
