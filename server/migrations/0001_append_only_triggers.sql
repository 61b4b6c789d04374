-- Answers and the audit trail are evidence: once written they are never changed or removed.
CREATE TRIGGER answer_events_no_update BEFORE UPDATE ON answer_events
BEGIN SELECT RAISE(ABORT, 'answer_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER answer_events_no_delete BEFORE DELETE ON answer_events
BEGIN SELECT RAISE(ABORT, 'answer_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
