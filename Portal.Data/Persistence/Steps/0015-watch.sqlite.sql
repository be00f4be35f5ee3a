-- A watched book (issue #25): the subjects a bank or unit watches, stored as keyed hashes and normalized names, and the
-- alerts it is told of.
CREATE TABLE "watched_subjects" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_watched_subjects" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "Reference" TEXT NOT NULL,
    "SubjectType" TEXT NOT NULL,
    "NameKey" TEXT NOT NULL,
    "NumberHash" TEXT NOT NULL,
    "FamilyKey" TEXT NULL,
    "Unverifiable" INTEGER NOT NULL,
    "AddedAt" TEXT NOT NULL,
    "SinceEvent" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_watched_subjects_ClientId_Reference" ON "watched_subjects" ("ClientId", "Reference");

CREATE INDEX "IX_watched_subjects_ClientId_FamilyKey" ON "watched_subjects" ("ClientId", "FamilyKey");

CREATE INDEX "IX_watched_subjects_NumberHash" ON "watched_subjects" ("NumberHash");

CREATE TABLE "watch_events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_watch_events" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "Reference" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "MatchedOn" TEXT NOT NULL,
    "NameMatches" INTEGER NOT NULL,
    "PublicId" TEXT NOT NULL,
    "CaseNumber" TEXT NOT NULL,
    "Court" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "EntryEventId" INTEGER NULL
);

CREATE INDEX "IX_watch_events_ClientId_Id" ON "watch_events" ("ClientId", "Id");
