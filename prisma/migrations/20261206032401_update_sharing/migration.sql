-- DropIndex
DROP INDEX "Update_networkId_createdAt_idx";

-- AlterTable
ALTER TABLE "Update" ADD COLUMN     "sharedWithNetwork" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "Update_networkId_createdAt_id_idx" ON "Update"("networkId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Update_organisationId_createdAt_id_idx" ON "Update"("organisationId", "createdAt", "id");
