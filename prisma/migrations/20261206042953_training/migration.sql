-- CreateEnum
CREATE TYPE "TrainingFormat" AS ENUM ('online', 'facilitated', 'elearning');

-- CreateTable
CREATE TABLE "TrainingCourse" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "networkId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" "TrainingLevel" NOT NULL,
    "format" "TrainingFormat" NOT NULL,
    "provider" TEXT,
    "length" TEXT,
    "link" TEXT,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingCourse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRecord" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "courseId" TEXT,
    "otherTitle" TEXT,
    "completedOn" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingCourse_networkId_level_idx" ON "TrainingCourse"("networkId", "level");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingCourse_networkId_number_key" ON "TrainingCourse"("networkId", "number");

-- CreateIndex
CREATE INDEX "TrainingRecord_memberId_completedOn_idx" ON "TrainingRecord"("memberId", "completedOn");

-- CreateIndex
CREATE INDEX "TrainingRecord_courseId_idx" ON "TrainingRecord"("courseId");

-- CreateIndex
CREATE INDEX "TrainingRecord_completedOn_idx" ON "TrainingRecord"("completedOn");

-- AddForeignKey
ALTER TABLE "TrainingCourse" ADD CONSTRAINT "TrainingCourse_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "TrainingCourse"("id") ON DELETE SET NULL ON UPDATE CASCADE;
