-- Every court in the country (issue #23): an entry keeps the code of its court today (filled in at start for older
-- entries), and administrators' changes to the shipped court directory are kept in "courts".
ALTER TABLE "entries" ADD "CourtCode" TEXT NOT NULL DEFAULT '';
-- Staff see their courts' entries by it, and browsing goes court by court, month by month (it replaces step 6's index).
CREATE INDEX "IX_entries_CourtCode_PublishedAt" ON "entries" ("CourtCode", "PublishedAt");
DROP INDEX IF EXISTS "IX_entries_Court_PublishedAt";
CREATE TABLE "courts" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_courts" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Level" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "SuperiorCode" TEXT NULL,
    "Province" TEXT NOT NULL,
    "City" TEXT NOT NULL,
    "Region" TEXT NULL,
    "FormerCodes" TEXT NOT NULL,
    "FormerNames" TEXT NOT NULL,
    "RetiredOn" TEXT NULL,
    "ChangedAt" TEXT NOT NULL,
    "ChangedBy" TEXT NOT NULL
);
