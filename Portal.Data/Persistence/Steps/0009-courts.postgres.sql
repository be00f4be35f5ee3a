-- Every court in the country (issue #23): an entry keeps the code of its court today (filled in at start for older
-- entries), and administrators' changes to the shipped court directory are kept in "courts".
ALTER TABLE "entries" ADD "CourtCode" character varying(16) NOT NULL DEFAULT '';
-- Staff see their courts' entries by it, and browsing goes court by court, month by month (it replaces step 6's index).
CREATE INDEX "IX_entries_CourtCode_PublishedAt" ON "entries" ("CourtCode", "PublishedAt");
DROP INDEX IF EXISTS "IX_entries_Court_PublishedAt";
CREATE TABLE "courts" (
    "Code" character varying(16) NOT NULL,
    "Name" character varying(100) NOT NULL,
    "Level" character varying(16) NOT NULL,
    "Kind" character varying(16) NOT NULL,
    "SuperiorCode" character varying(16) NULL,
    "Province" character varying(8) NOT NULL,
    "City" character varying(32) NOT NULL,
    "Region" character varying(6) NULL,
    "FormerCodes" text NOT NULL,
    "FormerNames" text NOT NULL,
    "RetiredOn" date NULL,
    "ChangedAt" timestamp with time zone NOT NULL,
    "ChangedBy" character varying(256) NOT NULL,
    CONSTRAINT "PK_courts" PRIMARY KEY ("Code")
);
