-- Privacy and access, round three (issue #22): a closed ID family reopens after a while, and a client sees its closures.
ALTER TABLE "id_lookup_misses" ADD "ClosedAt" TEXT NULL;
ALTER TABLE "id_lookup_misses" ADD "Masked" TEXT NULL;
