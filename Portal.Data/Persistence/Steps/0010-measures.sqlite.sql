-- Joint punishment (issue #26): the catalogue of measures, the measures units report, their lift notices and each
-- unit's measure feed; a unit's category; a correction forwarded from a unit's measure; webhook deliveries of either feed.
CREATE TABLE "measure_kinds" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_measure_kinds" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "LegalBasis" TEXT NOT NULL,
    "Subjects" TEXT NOT NULL,
    "RetiredOn" TEXT NULL,
    "ChangedAt" TEXT NOT NULL,
    "ChangedBy" TEXT NOT NULL
);

CREATE TABLE "measures" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_measures" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "EntryId" INTEGER NOT NULL,
    "PublicId" TEXT NOT NULL,
    "CaseNumber" TEXT NOT NULL,
    "CourtCode" TEXT NOT NULL,
    "Court" TEXT NOT NULL,
    "MeasureCode" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "AppliedOn" TEXT NOT NULL,
    "Reference" TEXT NULL,
    "Status" TEXT NOT NULL,
    "RecordedAt" TEXT NOT NULL,
    "WithdrawnAt" TEXT NULL,
    "ObjectionId" INTEGER NULL,
    "SuspendedAt" TEXT NULL
);

CREATE TABLE "measure_lifts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_measure_lifts" PRIMARY KEY AUTOINCREMENT,
    "MeasureId" INTEGER NOT NULL,
    "ClientId" INTEGER NOT NULL,
    "EntryId" INTEGER NOT NULL,
    "PublicId" TEXT NOT NULL,
    "CaseNumber" TEXT NOT NULL,
    "CourtCode" TEXT NOT NULL,
    "Court" TEXT NOT NULL,
    "MeasureCode" TEXT NOT NULL,
    "Cause" TEXT NOT NULL,
    "NoticeAt" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "DueProvisional" INTEGER NOT NULL,
    "LiftedOn" TEXT NULL,
    "AcknowledgedAt" TEXT NULL
);

CREATE TABLE "measure_events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_measure_events" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "MeasureId" INTEGER NOT NULL,
    "LiftId" INTEGER NULL,
    "Type" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "Note" TEXT NULL
);

CREATE INDEX "IX_measures_ClientId_Status" ON "measures" ("ClientId", "Status");
CREATE INDEX "IX_measures_EntryId_Status" ON "measures" ("EntryId", "Status");
CREATE INDEX "IX_measure_lifts_ClientId_LiftedOn" ON "measure_lifts" ("ClientId", "LiftedOn");
CREATE INDEX "IX_measure_lifts_DueOn" ON "measure_lifts" ("DueOn");
CREATE INDEX "IX_measure_lifts_MeasureId" ON "measure_lifts" ("MeasureId");
CREATE INDEX "IX_measure_events_ClientId_Id" ON "measure_events" ("ClientId", "Id");

ALTER TABLE "api_clients" ADD "Category" TEXT NULL;
ALTER TABLE "applications" ADD "MeasureId" INTEGER NULL;
ALTER TABLE "webhook_deliveries" ADD "Feed" TEXT NOT NULL DEFAULT 'Entries';
