CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid,
	"kind" text NOT NULL,
	"ref_type" text,
	"ref_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rights_request_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"note" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "rights_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"subject_id" uuid,
	"subject_name" text,
	"subject_birth_date" text,
	"requester_email" text NOT NULL,
	"requester_name" text,
	"requester_user_id" uuid,
	"requester_relation" text NOT NULL,
	"message" text,
	"lang" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"verification_code_hash" text,
	"verification_expires_at" timestamp with time zone,
	"verification_attempts" integer DEFAULT 0 NOT NULL,
	"verified_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"forward_due_at" timestamp with time zone,
	"forwarded_at" timestamp with time zone,
	"forward_overdue_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"extended_due_at" timestamp with time zone,
	"extension_reason" text,
	"extended_at" timestamp with time zone,
	"extended_by" uuid,
	"identity_verified_at" timestamp with time zone,
	"identity_method" text,
	"identity_verified_by" uuid,
	"written_instruction_at" timestamp with time zone,
	"written_instruction_ref" text,
	"written_instruction_by" uuid,
	"reminded_soon_at" timestamp with time zone,
	"reminded_overdue_at" timestamp with time zone,
	"erasure_pending_at" timestamp with time zone,
	"outcome" text,
	"outcome_note" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"logged_by" uuid
);
--> statement-breakpoint
CREATE TABLE "subject_restrictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"request_id" uuid,
	"restricted_at" timestamp with time zone NOT NULL,
	"restricted_by" uuid,
	"reason" text,
	"lifted_at" timestamp with time zone,
	"lifted_by" uuid
);
--> statement-breakpoint
CREATE TABLE "audit_archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"month" date NOT NULL,
	"org_id" uuid,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	"entries" integer NOT NULL,
	"archived_at" timestamp with time zone NOT NULL,
	"purge_due_at" timestamp with time zone NOT NULL,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "consent_checkpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"hmac" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rights_request_events" ADD CONSTRAINT "rights_request_events_request_id_rights_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_restrictions" ADD CONSTRAINT "subject_restrictions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user" ON "notifications" USING btree ("user_id","read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_once" ON "notifications" USING btree ("user_id","kind","ref_id");--> statement-breakpoint
CREATE INDEX "rights_request_events_request" ON "rights_request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "rights_requests_reference" ON "rights_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "rights_requests_org_status" ON "rights_requests" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "rights_requests_subject" ON "rights_requests" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "rights_requests_unforwarded" ON "rights_requests" USING btree ("forward_due_at") WHERE status = 'received';--> statement-breakpoint
CREATE INDEX "subject_restrictions_subject" ON "subject_restrictions" USING btree ("subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subject_restrictions_active" ON "subject_restrictions" USING btree ("org_id","subject_id") WHERE lifted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_archives_file" ON "audit_archives" USING btree ("file_name");--> statement-breakpoint
CREATE INDEX "audit_archives_org" ON "audit_archives" USING btree ("org_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_checkpoints_org_seq" ON "consent_checkpoints" USING btree ("org_id","seq");--> statement-breakpoint
CREATE INDEX "consent_checkpoints_org_signed" ON "consent_checkpoints" USING btree ("org_id","signed_at");--> statement-breakpoint
-- Checkpoints are evidence too: the database refuses to rewrite or remove them.
CREATE TRIGGER consent_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON consent_checkpoints
  FOR EACH ROW EXECUTE FUNCTION carnet_refuse_change();
--> statement-breakpoint
CREATE TRIGGER consent_checkpoints_no_truncate
  BEFORE TRUNCATE ON consent_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION carnet_refuse_change();
