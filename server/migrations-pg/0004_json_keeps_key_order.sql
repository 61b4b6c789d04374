ALTER TABLE "audit_log" ALTER COLUMN "details" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "exam_templates" ALTER COLUMN "definition" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "papers" ALTER COLUMN "items" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "results" ALTER COLUMN "sections" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "sittings" ALTER COLUMN "vacancies" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "sittings" ALTER COLUMN "vacancies" SET DEFAULT '{}'::json;