DROP INDEX `answer_events_candidate_seq`;--> statement-breakpoint
DROP INDEX `answer_events_log`;--> statement-breakpoint
ALTER TABLE `answer_events` ADD `sitting_id` text REFERENCES sittings(id);--> statement-breakpoint
-- the rows stored so far get their candidate's sitting: the append-only trigger steps aside for this one backfill
DROP TRIGGER answer_events_no_update;--> statement-breakpoint
UPDATE `answer_events` SET `sitting_id` = (SELECT `sitting_id` FROM `candidates` WHERE `candidates`.`id` = `answer_events`.`candidate_id`);--> statement-breakpoint
CREATE TRIGGER answer_events_no_update BEFORE UPDATE ON answer_events
BEGIN SELECT RAISE(ABORT, 'answer_events is append-only'); END;--> statement-breakpoint
CREATE INDEX `answer_events_sitting` ON `answer_events` (`sitting_id`,`log_idx`);