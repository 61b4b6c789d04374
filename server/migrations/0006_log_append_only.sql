-- The sitting's log and its signed checkpoints are evidence, like answers: never changed or removed.
CREATE TRIGGER sitting_log_no_update BEFORE UPDATE ON sitting_log
BEGIN SELECT RAISE(ABORT, 'sitting_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER sitting_log_no_delete BEFORE DELETE ON sitting_log
BEGIN SELECT RAISE(ABORT, 'sitting_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
