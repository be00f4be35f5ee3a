-- Privacy and access (issue #15). The birth date completed every masked ID number: it is overwritten, then dropped
-- (old row versions go with the next VACUUM; run VACUUM FULL entries to rewrite the table at once).
UPDATE "entries" SET "BirthDate" = NULL;
ALTER TABLE "entries" DROP COLUMN "BirthDate";

CREATE TABLE "portal_settings" (
    "Name" character varying(64) NOT NULL,
    "Value" text NOT NULL,
    CONSTRAINT "PK_portal_settings" PRIMARY KEY ("Name")
);

CREATE TABLE "id_lookup_misses" (
    "Caller" character varying(64) NOT NULL,
    "Family" character varying(80) NOT NULL,
    "Misses" integer NOT NULL,
    "Tried" text NOT NULL,
    "FirstAt" timestamp with time zone NOT NULL,
    "LastAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_id_lookup_misses" PRIMARY KEY ("Caller", "Family")
);
