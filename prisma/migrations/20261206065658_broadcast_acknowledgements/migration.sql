-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN     "ackChoices" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "BroadcastAcknowledgement" (
    "id" TEXT NOT NULL,
    "broadcastId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BroadcastAcknowledgement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BroadcastAcknowledgement_memberId_idx" ON "BroadcastAcknowledgement"("memberId");

-- CreateIndex
CREATE INDEX "BroadcastAcknowledgement_deliveryId_idx" ON "BroadcastAcknowledgement"("deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "BroadcastAcknowledgement_broadcastId_memberId_key" ON "BroadcastAcknowledgement"("broadcastId", "memberId");

-- AddForeignKey
ALTER TABLE "BroadcastAcknowledgement" ADD CONSTRAINT "BroadcastAcknowledgement_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "Broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BroadcastAcknowledgement" ADD CONSTRAINT "BroadcastAcknowledgement_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BroadcastAcknowledgement" ADD CONSTRAINT "BroadcastAcknowledgement_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
