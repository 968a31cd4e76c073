-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "digestOptedOutAt" TIMESTAMP(3);
