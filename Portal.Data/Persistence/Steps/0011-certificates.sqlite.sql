-- Query certificates (issue #27): a signed record of one public search, its masked query and what it found.
CREATE TABLE "query_certificates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_query_certificates" PRIMARY KEY,
    "At" TEXT NOT NULL,
    "DataAsOf" TEXT NULL,
    "Query" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Total" INTEGER NOT NULL,
    "Items" TEXT NOT NULL,
    "Signature" TEXT NOT NULL
);
