-- CreateTable
CREATE TABLE "RoomLogEntry" (
    "roomCode" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "loggedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomLogEntry_pkey" PRIMARY KEY ("roomCode","seq")
);
