-- CreateEnum
CREATE TYPE "WorkspaceStatus" AS ENUM ('pending', 'approved', 'paused', 'declined');

-- AlterTable
ALTER TABLE "Network" ADD COLUMN     "teamsUpdatesAddressId" TEXT;

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT,
    "status" "WorkspaceStatus" NOT NULL DEFAULT 'pending',
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "askedAt" TIMESTAMP(3),

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL,
    "installKey" TEXT NOT NULL,
    "teamId" TEXT,
    "teamName" TEXT,
    "enterpriseId" TEXT,
    "enterpriseName" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "botUserId" TEXT,
    "botId" TEXT,
    "scopes" TEXT NOT NULL DEFAULT '',
    "installerUserId" TEXT,
    "sealed" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackOAuthState" (
    "id" TEXT NOT NULL,
    "installOptions" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackOAuthState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Workspace_networkId_status_idx" ON "Workspace"("networkId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_platform_workspaceId_key" ON "Workspace"("platform", "workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_installKey_key" ON "SlackInstallation"("installKey");

-- AddForeignKey
ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every workspace and tenant the bot already serves stays in the network: approved without asking.
INSERT INTO "Workspace" ("id", "networkId", "platform", "workspaceId", "status", "decidedAt")
SELECT gen_random_uuid()::text, network."id", seen."platform", seen."workspaceId", 'approved', CURRENT_TIMESTAMP
FROM (SELECT DISTINCT "platform", "workspaceId" FROM "Address") seen
CROSS JOIN (SELECT "id" FROM "Network" ORDER BY "createdAt" LIMIT 1) network;
