-- AlterTable
ALTER TABLE "Trace" ADD COLUMN     "splits" JSONB;
