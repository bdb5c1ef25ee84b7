CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"kind" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	"tables" integer NOT NULL,
	"rows" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"deletion_reason" text
);
--> statement-breakpoint
CREATE TABLE "deletion_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"subject_id" uuid,
	"org_id" uuid,
	"requested_by" uuid,
	"requested_by_role" text NOT NULL,
	"reason" text NOT NULL,
	"rights_request_id" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"erase_after" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"completed_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "erasure_tombstones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid,
	"scope" text NOT NULL,
	"subject_id" uuid,
	"org_id" uuid,
	"requested_by_role" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"deleted" jsonb NOT NULL,
	"anonymized" jsonb NOT NULL,
	"files" integer DEFAULT 0 NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "org_privacy_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"deletion_grace_hours" integer DEFAULT 0 NOT NULL,
	"legal_basis" text DEFAULT 'public_task' NOT NULL,
	"updated_at" timestamp with time zone,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "retention_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"erasure_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"granted_by" uuid NOT NULL,
	"reason" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"end_logged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "breach_orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"breach_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"informed_at" timestamp with time zone NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"authority_notified_at" timestamp with time zone,
	"authority_reference" text,
	"subjects_informed" text,
	"subjects_informed_at" timestamp with time zone,
	"updated_by" uuid,
	"updated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "breach_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"breach_id" uuid NOT NULL,
	"org_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"author_id" uuid,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "breaches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"nature" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"subject_categories" text NOT NULL,
	"approx_subjects" integer,
	"record_categories" text NOT NULL,
	"approx_records" integer,
	"consequences" text NOT NULL,
	"measures" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "subprocessor_change_orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"change_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"notified_at" timestamp with time zone NOT NULL,
	"objection_deadline" timestamp with time zone NOT NULL,
	"objected_at" timestamp with time zone,
	"objected_by" uuid,
	"consent_record_id" uuid
);
--> statement-breakpoint
CREATE TABLE "subprocessor_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subprocessor_id" uuid NOT NULL,
	"replaces_id" uuid,
	"description" text NOT NULL,
	"announced_at" timestamp with time zone NOT NULL,
	"announced_by" uuid
);
--> statement-breakpoint
CREATE TABLE "subprocessors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"registration_number" text NOT NULL,
	"activity" text NOT NULL,
	"personal_data_transfer" boolean DEFAULT false NOT NULL,
	"contract" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"effective_at" timestamp with time zone,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "org_privacy_settings" ADD CONSTRAINT "org_privacy_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_notices" ADD CONSTRAINT "retention_notices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breach_orgs" ADD CONSTRAINT "breach_orgs_breach_id_breaches_id_fk" FOREIGN KEY ("breach_id") REFERENCES "public"."breaches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breach_orgs" ADD CONSTRAINT "breach_orgs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breach_updates" ADD CONSTRAINT "breach_updates_breach_id_breaches_id_fk" FOREIGN KEY ("breach_id") REFERENCES "public"."breaches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breach_updates" ADD CONSTRAINT "breach_updates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subprocessor_change_orgs" ADD CONSTRAINT "subprocessor_change_orgs_change_id_subprocessor_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."subprocessor_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subprocessor_change_orgs" ADD CONSTRAINT "subprocessor_change_orgs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subprocessor_changes" ADD CONSTRAINT "subprocessor_changes_subprocessor_id_subprocessors_id_fk" FOREIGN KEY ("subprocessor_id") REFERENCES "public"."subprocessors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subprocessor_changes" ADD CONSTRAINT "subprocessor_changes_replaces_id_subprocessors_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."subprocessors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backups_file" ON "backups" USING btree ("file_name");--> statement-breakpoint
CREATE INDEX "backups_expires" ON "backups" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "deletion_requests_pending" ON "deletion_requests" USING btree ("erase_after") WHERE completed_at is null and cancelled_at is null;--> statement-breakpoint
CREATE INDEX "deletion_requests_subject" ON "deletion_requests" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "deletion_requests_org" ON "deletion_requests" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deletion_requests_open" ON "deletion_requests" USING btree ("scope","subject_id","org_id") WHERE completed_at is null and cancelled_at is null;--> statement-breakpoint
CREATE INDEX "erasure_tombstones_subject" ON "erasure_tombstones" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "erasure_tombstones_org" ON "erasure_tombstones" USING btree ("org_id","completed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "retention_notices_once" ON "retention_notices" USING btree ("org_id","kind","erasure_at");--> statement-breakpoint
CREATE INDEX "support_grants_org" ON "support_grants" USING btree ("org_id","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "breach_orgs_once" ON "breach_orgs" USING btree ("breach_id","org_id");--> statement-breakpoint
CREATE INDEX "breach_orgs_org" ON "breach_orgs" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "breach_updates_breach" ON "breach_updates" USING btree ("breach_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "breaches_reference" ON "breaches" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "subprocessor_change_orgs_once" ON "subprocessor_change_orgs" USING btree ("change_id","org_id");--> statement-breakpoint
CREATE INDEX "subprocessor_change_orgs_org" ON "subprocessor_change_orgs" USING btree ("org_id");