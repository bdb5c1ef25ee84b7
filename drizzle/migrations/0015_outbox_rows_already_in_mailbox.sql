-- Rows written before the outbox existed were mail shown in the development mailbox (no SMTP_URL):
-- they were delivered there, so they are sent, never to be mailed out later.
UPDATE "outbox_mails" SET "status" = 'sent', "sent_at" = "created_at" WHERE "status" = 'pending';
