-- CreateTable
CREATE TABLE "PulseTally" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "sector" "Sector",
    "locality" TEXT,
    "organisationId" TEXT,
    "score" INTEGER NOT NULL,
    "answers" INTEGER NOT NULL,

    CONSTRAINT "PulseTally_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PulseTally_roundId_idx" ON "PulseTally"("roundId");

-- AddForeignKey
ALTER TABLE "PulseTally" ADD CONSTRAINT "PulseTally_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "PulseRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseTally" ADD CONSTRAINT "PulseTally_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
