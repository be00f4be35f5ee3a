-- Due process online: applications, their attachments and history, the notification outbox (issue #13)
CREATE TABLE "application_attachments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_application_attachments" PRIMARY KEY AUTOINCREMENT,
    "ApplicationId" INTEGER NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "Sha256" TEXT NOT NULL,
    "Content" BLOB NOT NULL
);

CREATE TABLE "application_steps" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_application_steps" PRIMARY KEY AUTOINCREMENT,
    "ApplicationId" INTEGER NOT NULL,
    "At" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Note" TEXT NOT NULL
);

CREATE TABLE "applications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_applications" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "TrackingHash" TEXT NOT NULL,
    "SubmissionHash" TEXT NOT NULL,
    "EntryId" INTEGER NULL,
    "CaseNumber" TEXT NULL,
    "CourtCode" TEXT NOT NULL,
    "Court" TEXT NOT NULL,
    "ParentId" INTEGER NULL,
    "Grounds" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "IdentityHash" TEXT NULL,
    "ContactChannel" TEXT NOT NULL,
    "ContactCipher" TEXT NOT NULL,
    "ContactMasked" TEXT NOT NULL,
    "AddressHash" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    "DueBy" TEXT NOT NULL,
    "DueProvisional" INTEGER NOT NULL,
    "DecidedAt" TEXT NULL,
    "DecidedBy" TEXT NULL,
    "Decision" TEXT NULL,
    "DecidingUnit" TEXT NULL
);

CREATE TABLE "notifications" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_notifications" PRIMARY KEY AUTOINCREMENT,
    "ApplicationId" INTEGER NOT NULL,
    "Channel" TEXT NOT NULL,
    "ContactCipher" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "Body" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" TEXT NOT NULL,
    "SentAt" TEXT NULL,
    "Dead" INTEGER NOT NULL,
    "LastError" TEXT NULL
);

CREATE INDEX "IX_application_attachments_ApplicationId" ON "application_attachments" ("ApplicationId");

CREATE INDEX "IX_application_steps_ApplicationId" ON "application_steps" ("ApplicationId");

CREATE INDEX "IX_applications_AddressHash_ReceivedAt" ON "applications" ("AddressHash", "ReceivedAt");

CREATE INDEX "IX_applications_EntryId_ReceivedAt" ON "applications" ("EntryId", "ReceivedAt");

CREATE INDEX "IX_applications_Status_CourtCode_DueBy" ON "applications" ("Status", "CourtCode", "DueBy");

CREATE UNIQUE INDEX "IX_applications_SubmissionHash" ON "applications" ("SubmissionHash");

CREATE UNIQUE INDEX "IX_applications_TrackingHash" ON "applications" ("TrackingHash");

CREATE INDEX "IX_notifications_SentAt_Dead_NextAttemptAt" ON "notifications" ("SentAt", "Dead", "NextAttemptAt");
