-- CreateEnum
CREATE TYPE "ConsensusMethod" AS ENUM ('DAWID_SKENE', 'WEIGHTED_MAJORITY');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('CAMPAIGN', 'PRACTICE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "Role" ADD VALUE 'REVIEWER';
ALTER TYPE "Role" ADD VALUE 'EXPERT';

-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "cubeOverlap" INTEGER NOT NULL DEFAULT 16,
ADD COLUMN     "cubeSize" INTEGER NOT NULL DEFAULT 96;

-- AlterTable
ALTER TABLE "Neuron" ADD COLUMN     "completedAt" TIMESTAMP(3),
ADD COLUMN     "consensusMethod" "ConsensusMethod" NOT NULL DEFAULT 'DAWID_SKENE',
ADD COLUMN     "isPractice" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "maxPlayers" INTEGER NOT NULL DEFAULT 6,
ADD COLUMN     "minExitVoxels" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "minPlayers" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "retireConfidence" DOUBLE PRECISION NOT NULL DEFAULT 0.95,
ADD COLUMN     "seeds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "answer" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "confidence" DOUBLE PRECISION,
ADD COLUMN     "exits" JSONB,
ADD COLUMN     "gridX" INTEGER,
ADD COLUMN     "gridY" INTEGER,
ADD COLUMN     "gridZ" INTEGER,
ADD COLUMN     "kind" "TaskKind" NOT NULL DEFAULT 'CAMPAIGN',
ADD COLUMN     "majority" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "maxPlayers" INTEGER NOT NULL DEFAULT 6,
ADD COLUMN     "overridden" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "parentTaskId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "bestStreak" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "streak" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Reliability" (
    "userId" TEXT NOT NULL,
    "sensHits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sensTotal" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "specHits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "specTotal" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "accuracySum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "accuracyCount" INTEGER NOT NULL DEFAULT 0,
    "practiceCubes" INTEGER NOT NULL DEFAULT 0,
    "campaignCubes" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reliability_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "taskId" TEXT,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditLog_taskId_idx" ON "AuditLog"("taskId");

-- CreateIndex
CREATE UNIQUE INDEX "Task_neuronId_gridX_gridY_gridZ_key" ON "Task"("neuronId", "gridX", "gridY", "gridZ");

-- AddForeignKey
ALTER TABLE "Reliability" ADD CONSTRAINT "Reliability_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
