-- CreateTable
CREATE TABLE "domains" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "repositories" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "remote_url" TEXT,
    "last_synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "repositories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workstreams" (
    "id" UUID NOT NULL,
    "repository_id" UUID NOT NULL,
    "file_id" TEXT NOT NULL,
    "domain_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "owner" TEXT,
    "topic_slug" TEXT,
    "created_on" TEXT,
    "updated_on" TEXT,
    "completed_on" TEXT,
    "summary" TEXT,
    "context" TEXT,
    "notes" TEXT,
    "file_path" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "git_commit" TEXT,
    "git_blob" TEXT,
    "sync_fingerprint" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workstreams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phases" (
    "id" UUID NOT NULL,
    "workstream_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "phases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL,
    "repository_id" UUID NOT NULL,
    "workstream_id" UUID NOT NULL,
    "phase_id" UUID,
    "file_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "source_line" INTEGER NOT NULL,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "sync_fingerprint" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dependencies" (
    "id" UUID NOT NULL,
    "workstream_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "targets" TEXT[],
    "text" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sync_fingerprint" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dependencies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "closure_reviews" (
    "id" UUID NOT NULL,
    "workstream_id" UUID NOT NULL,
    "review_date" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "outcome" TEXT,
    "context" TEXT,

    CONSTRAINT "closure_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "closure_entries" (
    "id" UUID NOT NULL,
    "closure_review_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "task_file_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "note" TEXT,
    "target" TEXT,

    CONSTRAINT "closure_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "adrs" (
    "id" UUID NOT NULL,
    "repository_id" UUID NOT NULL,
    "file_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "decided_on" TEXT,
    "domain" TEXT,
    "format" TEXT NOT NULL,
    "supersedes" TEXT[],
    "superseded_by" TEXT[],
    "decision_makers" TEXT[],
    "file_path" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "git_commit" TEXT,
    "git_blob" TEXT,
    "sync_fingerprint" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adrs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL,
    "repository_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "files_scanned" INTEGER NOT NULL,
    "files_changed" INTEGER NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "removed" INTEGER NOT NULL,
    "drifted" INTEGER NOT NULL,
    "ids_assigned" INTEGER NOT NULL,
    "git_commit" TEXT,
    "error" TEXT,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL,
    "repository_id" UUID,
    "sync_run_id" UUID,
    "workstream_id" UUID,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "domains_slug_key" ON "domains"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "repositories_slug_key" ON "repositories"("slug");

-- CreateIndex
CREATE INDEX "workstreams_repository_id_file_path_idx" ON "workstreams"("repository_id", "file_path");

-- CreateIndex
CREATE INDEX "workstreams_domain_id_status_idx" ON "workstreams"("domain_id", "status");

-- CreateIndex
CREATE INDEX "workstreams_status_idx" ON "workstreams"("status");

-- CreateIndex
CREATE UNIQUE INDEX "workstreams_repository_id_file_id_key" ON "workstreams"("repository_id", "file_id");

-- CreateIndex
CREATE UNIQUE INDEX "phases_workstream_id_number_key" ON "phases"("workstream_id", "number");

-- CreateIndex
CREATE INDEX "tasks_repository_id_status_idx" ON "tasks"("repository_id", "status");

-- CreateIndex
CREATE INDEX "tasks_status_idx" ON "tasks"("status");

-- CreateIndex
CREATE INDEX "tasks_workstream_id_status_idx" ON "tasks"("workstream_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "tasks_workstream_id_file_id_key" ON "tasks"("workstream_id", "file_id");

-- CreateIndex
CREATE INDEX "dependencies_workstream_id_idx" ON "dependencies"("workstream_id");

-- CreateIndex
CREATE INDEX "dependencies_targets_idx" ON "dependencies" USING GIN ("targets");

-- CreateIndex
CREATE UNIQUE INDEX "closure_reviews_workstream_id_position_key" ON "closure_reviews"("workstream_id", "position");

-- CreateIndex
CREATE INDEX "closure_entries_task_file_id_idx" ON "closure_entries"("task_file_id");

-- CreateIndex
CREATE UNIQUE INDEX "closure_entries_closure_review_id_position_key" ON "closure_entries"("closure_review_id", "position");

-- CreateIndex
CREATE INDEX "adrs_repository_id_file_path_idx" ON "adrs"("repository_id", "file_path");

-- CreateIndex
CREATE INDEX "adrs_status_idx" ON "adrs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "adrs_repository_id_file_id_key" ON "adrs"("repository_id", "file_id");

-- CreateIndex
CREATE INDEX "sync_runs_repository_id_started_at_idx" ON "sync_runs"("repository_id", "started_at");

-- CreateIndex
CREATE INDEX "events_repository_id_kind_created_at_idx" ON "events"("repository_id", "kind", "created_at");

-- AddForeignKey
ALTER TABLE "workstreams" ADD CONSTRAINT "workstreams_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workstreams" ADD CONSTRAINT "workstreams_domain_id_fkey" FOREIGN KEY ("domain_id") REFERENCES "domains"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phases" ADD CONSTRAINT "phases_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstreams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstreams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "phases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstreams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "closure_reviews" ADD CONSTRAINT "closure_reviews_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstreams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "closure_entries" ADD CONSTRAINT "closure_entries_closure_review_id_fkey" FOREIGN KEY ("closure_review_id") REFERENCES "closure_reviews"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "adrs" ADD CONSTRAINT "adrs_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_repository_id_fkey" FOREIGN KEY ("repository_id") REFERENCES "repositories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_workstream_id_fkey" FOREIGN KEY ("workstream_id") REFERENCES "workstreams"("id") ON DELETE SET NULL ON UPDATE CASCADE;
