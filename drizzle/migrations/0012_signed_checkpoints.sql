CREATE TABLE "checkpoint_mailings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"week" date NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL,
	"to_admins" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent_checkpoints" ALTER COLUMN "hmac" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_mails" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "consent_checkpoints" ADD COLUMN "algorithm" text DEFAULT 'HMAC-SHA256' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_checkpoints" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "consent_checkpoints" ADD COLUMN "key_fingerprint" text;--> statement-breakpoint
CREATE UNIQUE INDEX "checkpoint_mailings_org_week" ON "checkpoint_mailings" USING btree ("org_id","week");