-- DropIndex
DROP INDEX "Task_neuronId_gridX_gridY_gridZ_key";

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "pass" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "Task_neuronId_gridX_gridY_gridZ_pass_key" ON "Task"("neuronId", "gridX", "gridY", "gridZ", "pass");

-- AlterTable
ALTER TABLE "Neuron" ADD COLUMN     "maxCubesPerCell" INTEGER NOT NULL DEFAULT 4;
