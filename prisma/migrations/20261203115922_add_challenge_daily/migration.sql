-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL,
    "surfaceKey" TEXT NOT NULL,
    "surface" JSONB NOT NULL,
    "settings" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChallengeRound" (
    "challengeId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,

    CONSTRAINT "ChallengeRound_pkey" PRIMARY KEY ("challengeId","roundId")
);

-- CreateTable
CREATE TABLE "DailyAttempt" (
    "day" TEXT NOT NULL,
    "playerKey" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DailyAttempt_pkey" PRIMARY KEY ("day","playerKey")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChallengeRound_roundId_key" ON "ChallengeRound"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "DailyAttempt_roundId_key" ON "DailyAttempt"("roundId");

-- CreateIndex
CREATE INDEX "DailyAttempt_playerKey_day_idx" ON "DailyAttempt"("playerKey", "day");

-- AddForeignKey
ALTER TABLE "ChallengeRound" ADD CONSTRAINT "ChallengeRound_challengeId_fkey" FOREIGN KEY ("challengeId") REFERENCES "Challenge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
