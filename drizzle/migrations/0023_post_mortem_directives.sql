CREATE TABLE "post_mortem_directives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"directive" text NOT NULL,
	"instructions" text,
	"appointed_name" text NOT NULL,
	"appointed_contact" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"verified_at" timestamp with time zone,
	"verified_on" text,
	"verification_method" text,
	"verification_note" text,
	"verified_by" uuid,
	"executed_at" timestamp with time zone,
	"executed_by" uuid,
	"execution_note" text
);
--> statement-breakpoint
ALTER TABLE "post_mortem_directives" ADD CONSTRAINT "post_mortem_directives_request_id_rights_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_mortem_directives" ADD CONSTRAINT "post_mortem_directives_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "post_mortem_directives_request" ON "post_mortem_directives" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "post_mortem_directives_org" ON "post_mortem_directives" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "post_mortem_directives_recorded_by" ON "post_mortem_directives" USING btree ("recorded_by") WHERE recorded_by is not null;--> statement-breakpoint
CREATE INDEX "post_mortem_directives_verified_by" ON "post_mortem_directives" USING btree ("verified_by") WHERE verified_by is not null;--> statement-breakpoint
CREATE INDEX "post_mortem_directives_executed_by" ON "post_mortem_directives" USING btree ("executed_by") WHERE executed_by is not null;