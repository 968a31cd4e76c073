-- CreateEnum
CREATE TYPE "ResourceKind" AS ENUM ('toolkit', 'video', 'policy', 'reading');

-- CreateEnum
CREATE TYPE "LearningBarrier" AS ENUM ('time', 'cover', 'cost', 'other');

-- CreateEnum
CREATE TYPE "CoverageMeasure" AS ENUM ('people', 'percent');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "learningNeedsOptedOutAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TrainingResource" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "networkId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "kind" "ResourceKind" NOT NULL,
    "level" "TrainingLevel",
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingResource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingResourcePrinciple" (
    "resourceId" TEXT NOT NULL,
    "principleId" TEXT NOT NULL,

    CONSTRAINT "TrainingResourcePrinciple_pkey" PRIMARY KEY ("resourceId","principleId")
);

-- CreateTable
CREATE TABLE "LearningNeedsSurvey" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "networkId" TEXT NOT NULL,
    "audience" JSONB NOT NULL,
    "topics" TEXT[],
    "openDays" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "askedCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LearningNeedsSurvey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearningNeedsAnswer" (
    "id" TEXT NOT NULL,
    "surveyId" TEXT NOT NULL,
    "levels" "TrainingLevel"[],
    "topics" TEXT[],
    "barriers" "LearningBarrier"[],
    "sector" "Sector",
    "organisationId" TEXT,

    CONSTRAINT "LearningNeedsAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearningNeedsParticipation" (
    "surveyId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,

    CONSTRAINT "LearningNeedsParticipation_pkey" PRIMARY KEY ("surveyId","memberId")
);

-- CreateTable
CREATE TABLE "CoverageTarget" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "level" "TrainingLevel" NOT NULL,
    "measure" "CoverageMeasure" NOT NULL,
    "figure" INTEGER NOT NULL,
    "scope" TEXT,
    "setAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CoverageTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingResource_networkId_kind_idx" ON "TrainingResource"("networkId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingResource_networkId_number_key" ON "TrainingResource"("networkId", "number");

-- CreateIndex
CREATE INDEX "TrainingResourcePrinciple_principleId_idx" ON "TrainingResourcePrinciple"("principleId");

-- CreateIndex
CREATE UNIQUE INDEX "LearningNeedsSurvey_number_key" ON "LearningNeedsSurvey"("number");

-- CreateIndex
CREATE INDEX "LearningNeedsSurvey_networkId_createdAt_idx" ON "LearningNeedsSurvey"("networkId", "createdAt");

-- CreateIndex
CREATE INDEX "LearningNeedsAnswer_surveyId_idx" ON "LearningNeedsAnswer"("surveyId");

-- CreateIndex
CREATE INDEX "LearningNeedsParticipation_memberId_idx" ON "LearningNeedsParticipation"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "CoverageTarget_organisationId_key" ON "CoverageTarget"("organisationId");

-- AddForeignKey
ALTER TABLE "TrainingResource" ADD CONSTRAINT "TrainingResource_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingResourcePrinciple" ADD CONSTRAINT "TrainingResourcePrinciple_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "TrainingResource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingResourcePrinciple" ADD CONSTRAINT "TrainingResourcePrinciple_principleId_fkey" FOREIGN KEY ("principleId") REFERENCES "Principle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningNeedsSurvey" ADD CONSTRAINT "LearningNeedsSurvey_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningNeedsAnswer" ADD CONSTRAINT "LearningNeedsAnswer_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "LearningNeedsSurvey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningNeedsAnswer" ADD CONSTRAINT "LearningNeedsAnswer_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningNeedsParticipation" ADD CONSTRAINT "LearningNeedsParticipation_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "LearningNeedsSurvey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LearningNeedsParticipation" ADD CONSTRAINT "LearningNeedsParticipation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageTarget" ADD CONSTRAINT "CoverageTarget_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
