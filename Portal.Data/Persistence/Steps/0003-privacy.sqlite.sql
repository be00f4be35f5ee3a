-- Privacy and access (issue #15). The birth date completed every masked ID number: it is overwritten, then dropped
-- (the upgrader vacuums afterwards so that no free page keeps it).
UPDATE "entries" SET "BirthDate" = NULL;
ALTER TABLE "entries" DROP COLUMN "BirthDate";

CREATE TABLE "portal_settings" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_portal_settings" PRIMARY KEY,
    "Value" TEXT NOT NULL
);

CREATE TABLE "id_lookup_misses" (
    "Caller" TEXT NOT NULL,
    "Family" TEXT NOT NULL,
    "Misses" INTEGER NOT NULL,
    "Tried" TEXT NOT NULL,
    "FirstAt" TEXT NOT NULL,
    "LastAt" TEXT NOT NULL,
    CONSTRAINT "PK_id_lookup_misses" PRIMARY KEY ("Caller", "Family")
);
