-- The sub-processor register starts as DPA Annex C lists it (name, SIRET, outsourced activity,
-- personal-data transfer, contractual relationship), in force since the DPA version 2026-09.
INSERT INTO "subprocessors" ("name", "registration_number", "activity", "personal_data_transfer", "contract", "position", "added_at", "effective_at") VALUES
  ('OVH', '42476141900045', 'Hosting', false, 'DPA', 1, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z'),
  ('Crisp', '83308580600028', 'Customer support (GAR excluded only)', false, 'DPA', 2, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z'),
  ('Sendinblue (Brevo)', '49801929800112', 'Technical emailing', false, 'DPA', 3, '2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z');
