-- Outdoor screens and kiosks (issue #27): a display operator's takedown notice is due to the minute, not on a working day.
ALTER TABLE "takedown_notices" ADD COLUMN "DueAt" TEXT NULL;
