-- Browsing a court's entries month by month, newest first, by keyset (issue #9).
CREATE INDEX IF NOT EXISTS "IX_entries_Court_PublishedAt" ON "entries" ("Court", "PublishedAt");
