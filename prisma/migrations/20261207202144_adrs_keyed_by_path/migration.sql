-- ADR rows keyed by path: two files may share an ADR number (two branches merged), and both are
-- mirrored. ADRs without a number (log4brains slugs) and without a status, and the status and date
-- as written, are stored too (docs/adr-format.md). Hand-written parts are marked.

-- Hand-written: the engine's own writes below must not raise drift flags (src/db/advisory-lock.ts).
SELECT set_config('workplan.engine_write', 'on', true);

-- Hand-written: a path may so far be held by a removed row and a live one (a file deleted, then
-- re-created with another number). Every row but one per path is set aside (the live one, else the
-- newest keeps it) before the path becomes unique.
UPDATE "adrs" a SET "file_path" = a."file_path" || '~' || a."id"::text
  FROM (SELECT "id", row_number() OVER (PARTITION BY "repository_id", "file_path"
                                         ORDER BY ("removed_at" IS NULL) DESC, "updated_at" DESC, "id") AS rank
          FROM "adrs") ranked
 WHERE a."id" = ranked."id" AND ranked.rank > 1;

-- DropIndex
DROP INDEX "adrs_repository_id_file_id_key";

-- DropIndex
DROP INDEX "adrs_repository_id_file_path_idx";

-- AlterTable
ALTER TABLE "adrs" ADD COLUMN     "date_text" TEXT,
ADD COLUMN     "status_text" TEXT,
ALTER COLUMN "number" DROP NOT NULL,
ALTER COLUMN "status" DROP NOT NULL;

-- CreateTable
CREATE TABLE "schema_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "fingerprint" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schema_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "adrs_repository_id_file_id_idx" ON "adrs"("repository_id", "file_id");

-- CreateIndex
CREATE UNIQUE INDEX "adrs_repository_id_file_path_key" ON "adrs"("repository_id", "file_path");

-- CreateIndex
CREATE INDEX "tasks_repository_id_file_id_idx" ON "tasks"("repository_id", "file_id");

-- Hand-written: the ADR fingerprint now covers the new columns and the nullable number and status
-- (src/db/fingerprint-sql.ts). Rows that matched the old fingerprint get the new one; rows that had
-- drifted keep theirs, so the drift is still found.
UPDATE "adrs" a SET "sync_fingerprint" = md5(concat_ws(chr(31), a.file_id, coalesce(a.number::text, chr(1)), a.title, coalesce(a.status, chr(1)), coalesce(a.status_text, chr(1)), coalesce(a.decided_on, chr(1)), coalesce(a.date_text, chr(1)), coalesce(a.domain, chr(1)), a.format, array_to_string(a.supersedes, ','), array_to_string(a.superseded_by, ','), array_to_string(a.decision_makers, ','), a.file_path, a.extra::text))
 WHERE a.sync_fingerprint = md5(concat_ws(chr(31), a.file_id, a.number::text, a.title, a.status, coalesce(a.decided_on, chr(1)), coalesce(a.domain, chr(1)), a.format, array_to_string(a.supersedes, ','), array_to_string(a.superseded_by, ','), array_to_string(a.decision_makers, ','), a.file_path, a.extra::text));
