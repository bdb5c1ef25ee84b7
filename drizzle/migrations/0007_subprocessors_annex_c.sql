-- The sub-processor register starts as DPA Annex C lists it (name, SIRET, outsourced activity,
-- personal-data transfer, contractual relationship), in force from the start.
INSERT INTO "subprocessors" ("name", "registration_number", "activity", "personal_data_transfer", "contract", "position", "added_at", "effective_at") VALUES
  ('OVH', '42476141900045', 'Hosting', false, 'DPA', 1, now(), now()),
  ('Crisp', '83308580600028', 'Customer support (GAR excluded only)', false, 'DPA', 2, now(), now()),
  ('Sendinblue (Brevo)', '49801929800112', 'Technical emailing', false, 'DPA', 3, now(), now());
