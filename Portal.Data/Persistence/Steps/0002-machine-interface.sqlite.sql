-- API clients, receipts, takedown notices, webhook deliveries, verification receipts (issue #5)
CREATE TABLE "api_clients" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_api_clients" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Contact" TEXT NULL,
    "Scopes" TEXT NOT NULL,
    "WebhookUrl" TEXT NULL,
    "WebhookSecretCipher" TEXT NULL,
    "PageUrlPattern" TEXT NULL,
    "RatePerMinute" INTEGER NULL,
    "KeyPrefix" TEXT NOT NULL,
    "KeyHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "KeyRotatedAt" TEXT NULL,
    "RevokedAt" TEXT NULL,
    "WebhookCursor" INTEGER NOT NULL
);

CREATE TABLE "client_receipts" (
    "ClientId" INTEGER NOT NULL,
    "EntryId" INTEGER NOT NULL,
    "At" TEXT NOT NULL,
    "Via" TEXT NOT NULL,
    CONSTRAINT "PK_client_receipts" PRIMARY KEY ("EntryId", "ClientId")
);

CREATE TABLE "takedown_notices" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_takedown_notices" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "EntryId" INTEGER NOT NULL,
    "EventId" INTEGER NOT NULL,
    "PublicId" TEXT NOT NULL,
    "CaseNumber" TEXT NOT NULL,
    "Court" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "RemovedAt" TEXT NOT NULL,
    "DueOn" TEXT NOT NULL,
    "DueProvisional" INTEGER NOT NULL,
    "AcknowledgedAt" TEXT NULL,
    "CheckedAt" TEXT NULL,
    "StillShown" INTEGER NULL,
    "CheckNote" TEXT NULL
);

CREATE TABLE "verification_receipts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_verification_receipts" PRIMARY KEY,
    "ClientId" INTEGER NOT NULL,
    "ClientName" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "Subjects" INTEGER NOT NULL,
    "Listed" INTEGER NOT NULL,
    "NameMismatches" INTEGER NOT NULL,
    "Invalid" INTEGER NOT NULL,
    "RequestDigest" TEXT NOT NULL,
    "ResultDigest" TEXT NOT NULL,
    "Signature" TEXT NOT NULL
);

CREATE TABLE "webhook_deliveries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY AUTOINCREMENT,
    "ClientId" INTEGER NOT NULL,
    "EventId" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "DeliveredAt" TEXT NULL,
    "LastError" TEXT NULL
);

CREATE UNIQUE INDEX "IX_api_clients_KeyPrefix" ON "api_clients" ("KeyPrefix");

CREATE INDEX "IX_takedown_notices_ClientId_AcknowledgedAt" ON "takedown_notices" ("ClientId", "AcknowledgedAt");

CREATE INDEX "IX_takedown_notices_DueOn" ON "takedown_notices" ("DueOn");

CREATE INDEX "IX_verification_receipts_ClientId" ON "verification_receipts" ("ClientId");

CREATE INDEX "IX_webhook_deliveries_ClientId" ON "webhook_deliveries" ("ClientId");

CREATE INDEX "IX_webhook_deliveries_Status_NextAttemptAt" ON "webhook_deliveries" ("Status", "NextAttemptAt");
