-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('draft', 'scheduled', 'cancelled');

-- CreateEnum
CREATE TYPE "RsvpAnswer" AS ENUM ('going', 'maybe', 'declined');

-- CreateEnum
CREATE TYPE "Rag" AS ENUM ('red', 'amber', 'green');

-- CreateEnum
CREATE TYPE "KeyActionStatus" AS ENUM ('not_started', 'in_progress', 'done');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('draft', 'submitted');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "checkInTime" TEXT,
ADD COLUMN     "checkInWeekday" INTEGER,
ADD COLUMN     "pulsesOptedOutAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "pledgeSignedOn" DATE;

-- CreateTable
CREATE TABLE "EventSeries" (
    "id" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "cadenceMonths" INTEGER NOT NULL DEFAULT 6,
    "draftWeeksAhead" INTEGER NOT NULL DEFAULT 8,
    "firstStartsAt" TIMESTAMP(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "location" TEXT,
    "joinUrl" TEXT,
    "capacity" INTEGER,
    "audience" JSONB NOT NULL,
    "createdById" TEXT,
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NetworkEvent" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "networkId" TEXT NOT NULL,
    "seriesId" TEXT,
    "occurrence" INTEGER,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "location" TEXT,
    "joinUrl" TEXT,
    "capacity" INTEGER,
    "audience" JSONB NOT NULL,
    "status" "EventStatus" NOT NULL DEFAULT 'scheduled',
    "inviteAt" TIMESTAMP(3),
    "invitedAt" TIMESTAMP(3),
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NetworkEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventInvitation" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "answer" "RsvpAnswer",
    "answeredAt" TIMESTAMP(3),
    "waitlistedAt" TIMESTAMP(3),
    "invitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyAction" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "targetDate" DATE,
    "status" "KeyActionStatus" NOT NULL DEFAULT 'not_started',
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportingCycle" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "networkId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "opensOn" DATE NOT NULL,
    "dueOn" DATE NOT NULL,
    "cadenceMonths" INTEGER,
    "organisationIds" TEXT[],
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportingCycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportRequest" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MilestoneReport" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'draft',
    "rag" "Rag",
    "summary" TEXT,
    "successes" TEXT,
    "challengeResources" TEXT,
    "challengeBudget" TEXT,
    "challengeTimescales" TEXT,
    "milestones" JSONB NOT NULL,
    "keyActionProgress" JSONB NOT NULL,
    "maturity" JSONB,
    "leadName" TEXT,
    "authorId" TEXT,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MilestoneReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportNudgeState" (
    "requestId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "snoozedUntil" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "ReportNudgeState_pkey" PRIMARY KEY ("requestId","memberId")
);

-- CreateTable
CREATE TABLE "PulseQuestion" (
    "id" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "principleId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "scaleLabels" TEXT[],
    "position" INTEGER NOT NULL,
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PulseQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PulseRound" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "networkId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "slot" TEXT,
    "startedById" TEXT,
    "remindedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PulseRound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PulseAnswer" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "sector" "Sector",
    "locality" TEXT,
    "organisationId" TEXT,

    CONSTRAINT "PulseAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PulseParticipation" (
    "roundId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,

    CONSTRAINT "PulseParticipation_pkey" PRIMARY KEY ("roundId","memberId")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "reflection" TEXT,
    "noticed" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "textErasedAt" TIMESTAMP(3),

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EventSeries_networkId_idx" ON "EventSeries"("networkId");

-- CreateIndex
CREATE UNIQUE INDEX "NetworkEvent_number_key" ON "NetworkEvent"("number");

-- CreateIndex
CREATE INDEX "NetworkEvent_networkId_startsAt_idx" ON "NetworkEvent"("networkId", "startsAt");

-- CreateIndex
CREATE INDEX "NetworkEvent_status_inviteAt_idx" ON "NetworkEvent"("status", "inviteAt");

-- CreateIndex
CREATE UNIQUE INDEX "NetworkEvent_seriesId_occurrence_key" ON "NetworkEvent"("seriesId", "occurrence");

-- CreateIndex
CREATE INDEX "EventInvitation_memberId_idx" ON "EventInvitation"("memberId");

-- CreateIndex
CREATE INDEX "EventInvitation_eventId_answer_idx" ON "EventInvitation"("eventId", "answer");

-- CreateIndex
CREATE UNIQUE INDEX "EventInvitation_eventId_memberId_key" ON "EventInvitation"("eventId", "memberId");

-- CreateIndex
CREATE INDEX "KeyAction_organisationId_position_idx" ON "KeyAction"("organisationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingCycle_number_key" ON "ReportingCycle"("number");

-- CreateIndex
CREATE UNIQUE INDEX "ReportingCycle_networkId_dueOn_key" ON "ReportingCycle"("networkId", "dueOn");

-- CreateIndex
CREATE INDEX "ReportRequest_organisationId_idx" ON "ReportRequest"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRequest_cycleId_organisationId_key" ON "ReportRequest"("cycleId", "organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "MilestoneReport_requestId_key" ON "MilestoneReport"("requestId");

-- CreateIndex
CREATE INDEX "ReportNudgeState_memberId_idx" ON "ReportNudgeState"("memberId");

-- CreateIndex
CREATE INDEX "PulseQuestion_networkId_principleId_idx" ON "PulseQuestion"("networkId", "principleId");

-- CreateIndex
CREATE UNIQUE INDEX "PulseRound_number_key" ON "PulseRound"("number");

-- CreateIndex
CREATE UNIQUE INDEX "PulseRound_slot_key" ON "PulseRound"("slot");

-- CreateIndex
CREATE INDEX "PulseRound_networkId_opensAt_idx" ON "PulseRound"("networkId", "opensAt");

-- CreateIndex
CREATE INDEX "PulseAnswer_roundId_idx" ON "PulseAnswer"("roundId");

-- CreateIndex
CREATE INDEX "PulseParticipation_memberId_idx" ON "PulseParticipation"("memberId");

-- CreateIndex
CREATE INDEX "CheckIn_memberId_createdAt_idx" ON "CheckIn"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "CheckIn_createdAt_idx" ON "CheckIn"("createdAt");

-- AddForeignKey
ALTER TABLE "EventSeries" ADD CONSTRAINT "EventSeries_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventSeries" ADD CONSTRAINT "EventSeries_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NetworkEvent" ADD CONSTRAINT "NetworkEvent_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NetworkEvent" ADD CONSTRAINT "NetworkEvent_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "EventSeries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NetworkEvent" ADD CONSTRAINT "NetworkEvent_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventInvitation" ADD CONSTRAINT "EventInvitation_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "NetworkEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventInvitation" ADD CONSTRAINT "EventInvitation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyAction" ADD CONSTRAINT "KeyAction_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportingCycle" ADD CONSTRAINT "ReportingCycle_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportingCycle" ADD CONSTRAINT "ReportingCycle_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRequest" ADD CONSTRAINT "ReportRequest_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "ReportingCycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRequest" ADD CONSTRAINT "ReportRequest_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportRequest" ADD CONSTRAINT "ReportRequest_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MilestoneReport" ADD CONSTRAINT "MilestoneReport_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ReportRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MilestoneReport" ADD CONSTRAINT "MilestoneReport_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportNudgeState" ADD CONSTRAINT "ReportNudgeState_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ReportRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportNudgeState" ADD CONSTRAINT "ReportNudgeState_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseQuestion" ADD CONSTRAINT "PulseQuestion_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseQuestion" ADD CONSTRAINT "PulseQuestion_principleId_fkey" FOREIGN KEY ("principleId") REFERENCES "Principle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseRound" ADD CONSTRAINT "PulseRound_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseRound" ADD CONSTRAINT "PulseRound_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "PulseQuestion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseRound" ADD CONSTRAINT "PulseRound_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseAnswer" ADD CONSTRAINT "PulseAnswer_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "PulseRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseAnswer" ADD CONSTRAINT "PulseAnswer_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseParticipation" ADD CONSTRAINT "PulseParticipation_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "PulseRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseParticipation" ADD CONSTRAINT "PulseParticipation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
