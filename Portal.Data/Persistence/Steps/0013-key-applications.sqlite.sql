-- API keys applied for online (issue #25): an institution's application, its review, the key kept encrypted until collected.
CREATE TABLE "key_applications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_key_applications" PRIMARY KEY AUTOINCREMENT,
    "Status" TEXT NOT NULL,
    "Reference" TEXT NOT NULL,
    "SubmissionHash" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Institution" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "CreditCode" TEXT NOT NULL,
    "ContactPerson" TEXT NOT NULL,
    "ContactChannel" TEXT NOT NULL,
    "ContactCipher" TEXT NOT NULL,
    "ContactMasked" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    "DecidedAt" TEXT NULL,
    "DecidedBy" TEXT NULL,
    "RefusalReason" TEXT NULL,
    "ClientId" INTEGER NULL,
    "KeyCipher" TEXT NULL,
    "CollectedAt" TEXT NULL
);

CREATE UNIQUE INDEX "IX_key_applications_Reference" ON "key_applications" ("Reference");

CREATE INDEX "IX_key_applications_Status_ReceivedAt" ON "key_applications" ("Status", "ReceivedAt");

CREATE UNIQUE INDEX "IX_key_applications_SubmissionHash" ON "key_applications" ("SubmissionHash");

CREATE UNIQUE INDEX "IX_key_applications_TokenHash" ON "key_applications" ("TokenHash");
