-- AlterTable
ALTER TABLE "adrs" ADD COLUMN     "drift_suspected" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "workstreams" ADD COLUMN     "drift_suspected" BOOLEAN NOT NULL DEFAULT false;

-- Hand-written below (Prisma does not model triggers).
-- Drift flags: a write by anyone but the engine marks the workstream or ADR whose file must be
-- re-read; the engine's own transactions set workplan.engine_write = 'on' (src/db/engine-write.ts),
-- so finding drift costs one indexed flag per file instead of re-hashing every row.

-- Rows that already drifted before this migration keep being found.
UPDATE "workstreams" w SET "drift_suspected" = true
 WHERE w.removed_at IS NULL AND (
   w.sync_fingerprint <> md5(concat_ws(chr(31), w.file_id, w.domain_id::text, w.title, w.status, coalesce(w.owner, chr(1)), coalesce(w.topic_slug, chr(1)), coalesce(w.created_on, chr(1)), coalesce(w.updated_on, chr(1)), coalesce(w.completed_on, chr(1)), coalesce(w.summary, chr(1)), coalesce(w.context, chr(1)), coalesce(w.notes, chr(1)), w.file_path, w.extra::text))
   OR EXISTS (SELECT 1 FROM "tasks" t WHERE t.workstream_id = w.id AND t.removed_at IS NULL
              AND t.sync_fingerprint <> md5(concat_ws(chr(31), t.file_id, t.workstream_id::text, t.label, t.title, t.status, t.priority, t.description, t.position::text, t.source_line::text, coalesce(t.phase_id::text, chr(1)), t.extra::text)))
   OR EXISTS (SELECT 1 FROM "dependencies" d WHERE d.workstream_id = w.id AND d.removed_at IS NULL
              AND d.sync_fingerprint <> md5(concat_ws(chr(31), d.workstream_id::text, d.kind, array_to_string(d.targets, ','), d.text, d.position::text))));

UPDATE "adrs" a SET "drift_suspected" = true
 WHERE a.removed_at IS NULL
   AND a.sync_fingerprint <> md5(concat_ws(chr(31), a.file_id, a.number::text, a.title, a.status, coalesce(a.decided_on, chr(1)), coalesce(a.domain, chr(1)), a.format, array_to_string(a.supersedes, ','), array_to_string(a.superseded_by, ','), array_to_string(a.decision_makers, ','), a.file_path, a.extra::text));

CREATE FUNCTION "workplan_flag_drift_self"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.drift_suspected := true;
  RETURN NEW;
END
$$;

CREATE FUNCTION "workplan_flag_drift_workstream"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE workstreams SET drift_suspected = true WHERE id = OLD.workstream_id AND NOT drift_suspected;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE workstreams SET drift_suspected = true WHERE id = NEW.workstream_id AND NOT drift_suspected;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "workstreams_flag_drift" BEFORE UPDATE ON "workstreams" FOR EACH ROW
  WHEN (current_setting('workplan.engine_write', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "workplan_flag_drift_self"();

CREATE TRIGGER "adrs_flag_drift" BEFORE UPDATE ON "adrs" FOR EACH ROW
  WHEN (current_setting('workplan.engine_write', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "workplan_flag_drift_self"();

CREATE TRIGGER "tasks_flag_drift" AFTER INSERT OR UPDATE OR DELETE ON "tasks" FOR EACH ROW
  WHEN (current_setting('workplan.engine_write', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "workplan_flag_drift_workstream"();

CREATE TRIGGER "dependencies_flag_drift" AFTER INSERT OR UPDATE OR DELETE ON "dependencies" FOR EACH ROW
  WHEN (current_setting('workplan.engine_write', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "workplan_flag_drift_workstream"();
