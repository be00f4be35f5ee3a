-- Court staff belong to a court and act on its entries only (issue #10).
CREATE TABLE "staff_courts" (
    "UserName" TEXT NOT NULL CONSTRAINT "PK_staff_courts" PRIMARY KEY,
    "CourtCode" TEXT NOT NULL
);
