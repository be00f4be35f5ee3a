-- Privacy and access, round three (issue #22): a closed ID family reopens after a while, and a client sees its closures.
ALTER TABLE "id_lookup_misses" ADD "ClosedAt" timestamp with time zone NULL;
ALTER TABLE "id_lookup_misses" ADD "Masked" character varying(20) NULL;
