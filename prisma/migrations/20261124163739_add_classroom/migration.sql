-- AlterTable
ALTER TABLE "Competition" ADD COLUMN     "code" TEXT,
ADD COLUMN     "endedAt" TIMESTAMPTZ(3),
ADD COLUMN     "hostTokenHash" TEXT,
ADD COLUMN     "noRankings" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "plan" JSONB,
ADD COLUMN     "roundsPlayed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "standings" JSONB,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'lobby',
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Competition_code_createdAt_idx" ON "Competition"("code", "createdAt" DESC);
