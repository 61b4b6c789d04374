-- Answers, the audit trail and the sittings' logs are evidence: once written they are never
-- changed or removed (the same rule as the SQLite dialect's triggers). TRUNCATE is refused too.
CREATE FUNCTION kaca_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER answer_events_append_only BEFORE UPDATE OR DELETE ON answer_events FOR EACH ROW EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER answer_events_no_truncate BEFORE TRUNCATE ON answer_events FOR EACH STATEMENT EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER sitting_log_append_only BEFORE UPDATE OR DELETE ON sitting_log FOR EACH ROW EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER sitting_log_no_truncate BEFORE TRUNCATE ON sitting_log FOR EACH STATEMENT EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION kaca_append_only();
--> statement-breakpoint
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION kaca_append_only();
