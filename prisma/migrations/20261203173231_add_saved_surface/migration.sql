-- CreateTable
CREATE TABLE "SavedSurface" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameFolded" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "surface" JSONB NOT NULL,
    "surfaceKey" TEXT NOT NULL,
    "editTokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSurface_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SavedSurface_createdAt_id_idx" ON "SavedSurface"("createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SavedSurface_surfaceKey_idx" ON "SavedSurface"("surfaceKey");
