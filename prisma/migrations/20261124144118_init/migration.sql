-- CreateTable
CREATE TABLE "Room" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Room_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Competition" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Competition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Round" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "competitionId" TEXT,
    "surfaceKind" TEXT NOT NULL,
    "surfaceId" TEXT,
    "proceduralSeed" DOUBLE PRECISION,
    "proceduralDifficulty" TEXT,
    "surfaceKey" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "seed" DOUBLE PRECISION NOT NULL,
    "turns" INTEGER NOT NULL,
    "hint" TEXT NOT NULL,
    "botOptimizer" TEXT NOT NULL,
    "playerCount" INTEGER NOT NULL,
    "startLoss" DOUBLE PRECISION NOT NULL,
    "minLoss" DOUBLE PRECISION NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,
    "record" JSON NOT NULL,
    "savedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" SERIAL NOT NULL,
    "roundId" TEXT NOT NULL,
    "seat" INTEGER NOT NULL,
    "nickname" TEXT NOT NULL,
    "nicknameKey" TEXT NOT NULL,
    "isBot" BOOLEAN NOT NULL,
    "finalLoss" DOUBLE PRECISION NOT NULL,
    "progress" DOUBLE PRECISION NOT NULL,
    "score" INTEGER NOT NULL,
    "rank" INTEGER,
    "beatBot" BOOLEAN,
    "turnsPlayed" INTEGER NOT NULL,
    "reachedTurn" INTEGER NOT NULL,
    "reachedAt" TIMESTAMPTZ(3),
    "surfaceKey" TEXT NOT NULL,
    "competitionId" TEXT,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Move" (
    "roundId" TEXT NOT NULL,
    "turn" INTEGER NOT NULL,
    "seat" INTEGER NOT NULL,
    "angle" DOUBLE PRECISION,
    "eta" DOUBLE PRECISION,
    "at" TIMESTAMPTZ(3),

    CONSTRAINT "Move_pkey" PRIMARY KEY ("roundId","turn","seat")
);

-- CreateIndex
CREATE INDEX "Room_code_idx" ON "Room"("code");

-- CreateIndex
CREATE INDEX "Round_finishedAt_id_idx" ON "Round"("finishedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Round_surfaceKey_finishedAt_id_idx" ON "Round"("surfaceKey", "finishedAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Round_competitionId_finishedAt_idx" ON "Round"("competitionId", "finishedAt" DESC);

-- CreateIndex
CREATE INDEX "Round_roomId_idx" ON "Round"("roomId");

-- CreateIndex
CREATE INDEX "Participant_isBot_score_reachedTurn_finishedAt_id_idx" ON "Participant"("isBot", "score" DESC, "reachedTurn", "finishedAt", "id");

-- CreateIndex
CREATE INDEX "Participant_surfaceKey_isBot_score_reachedTurn_finishedAt_i_idx" ON "Participant"("surfaceKey", "isBot", "score" DESC, "reachedTurn", "finishedAt", "id");

-- CreateIndex
CREATE INDEX "Participant_competitionId_isBot_score_reachedTurn_finishedA_idx" ON "Participant"("competitionId", "isBot", "score" DESC, "reachedTurn", "finishedAt", "id");

-- CreateIndex
CREATE INDEX "Participant_isBot_finishedAt_idx" ON "Participant"("isBot", "finishedAt");

-- CreateIndex
CREATE INDEX "Participant_nicknameKey_finishedAt_idx" ON "Participant"("nicknameKey", "finishedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Participant_roundId_seat_key" ON "Participant"("roundId", "seat");

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_competitionId_fkey" FOREIGN KEY ("competitionId") REFERENCES "Competition"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Move" ADD CONSTRAINT "Move_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Move" ADD CONSTRAINT "Move_roundId_seat_fkey" FOREIGN KEY ("roundId", "seat") REFERENCES "Participant"("roundId", "seat") ON DELETE CASCADE ON UPDATE CASCADE;
