-- Banks' duty to check a borrower's officers (issue #25): an organization's legal representative's ID number, never
-- public, kept like a debtor's (encrypted, with a keyed hash for exact matching).
ALTER TABLE entries ADD "LegalRepresentativeIdCipher" character varying(512);
ALTER TABLE entries ADD "LegalRepresentativeIdHash" character varying(64);
ALTER TABLE entries ADD "LegalRepresentativeIdFamily" character varying(16);
CREATE INDEX "IX_entries_LegalRepresentativeIdHash" ON entries ("LegalRepresentativeIdHash");
