-- Query certificates (issue #27): a signed record of one public search, its masked query and what it found.
CREATE TABLE query_certificates (
    "Id" character varying(16) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "DataAsOf" timestamp with time zone,
    "Query" character varying(200) NOT NULL,
    "Scope" character varying(300) NOT NULL,
    "Total" bigint NOT NULL,
    "Items" text NOT NULL,
    "Signature" character varying(64) NOT NULL,
    CONSTRAINT "PK_query_certificates" PRIMARY KEY ("Id")
);
