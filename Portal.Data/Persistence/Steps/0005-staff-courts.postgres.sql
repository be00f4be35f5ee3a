-- Court staff belong to a court and act on its entries only (issue #10).
CREATE TABLE "staff_courts" (
    "UserName" character varying(256) NOT NULL,
    "CourtCode" character varying(16) NOT NULL,
    CONSTRAINT "PK_staff_courts" PRIMARY KEY ("UserName")
);
