-- CreateTable
CREATE TABLE "BroadcastLink" (
    "id" TEXT NOT NULL,
    "broadcastId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,

    CONSTRAINT "BroadcastLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BroadcastClick" (
    "linkId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BroadcastClick_pkey" PRIMARY KEY ("linkId","deliveryId")
);

-- CreateIndex
CREATE UNIQUE INDEX "BroadcastLink_broadcastId_position_key" ON "BroadcastLink"("broadcastId", "position");

-- CreateIndex
CREATE INDEX "BroadcastClick_deliveryId_idx" ON "BroadcastClick"("deliveryId");

-- AddForeignKey
ALTER TABLE "BroadcastLink" ADD CONSTRAINT "BroadcastLink_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "Broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BroadcastClick" ADD CONSTRAINT "BroadcastClick_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "BroadcastLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BroadcastClick" ADD CONSTRAINT "BroadcastClick_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
