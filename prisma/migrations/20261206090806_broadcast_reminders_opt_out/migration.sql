-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "broadcastRemindersOptedOutAt" TIMESTAMP(3);
