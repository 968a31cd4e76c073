-- AlterTable
ALTER TABLE "NetworkEvent" ADD COLUMN     "facilitatorId" TEXT,
ADD COLUMN     "trainingCourseId" TEXT;

-- AlterTable
ALTER TABLE "TrainingRecord" ADD COLUMN     "eventId" TEXT;

-- CreateIndex
CREATE INDEX "TrainingRecord_eventId_idx" ON "TrainingRecord"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRecord_memberId_eventId_key" ON "TrainingRecord"("memberId", "eventId");

-- AddForeignKey
ALTER TABLE "NetworkEvent" ADD CONSTRAINT "NetworkEvent_trainingCourseId_fkey" FOREIGN KEY ("trainingCourseId") REFERENCES "TrainingCourse"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NetworkEvent" ADD CONSTRAINT "NetworkEvent_facilitatorId_fkey" FOREIGN KEY ("facilitatorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "NetworkEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;
