-- AlterTable
ALTER TABLE "repositories" ADD COLUMN     "sync_generation" INTEGER NOT NULL DEFAULT 0;
