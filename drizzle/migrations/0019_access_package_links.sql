CREATE TABLE "access_package_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"released_at" timestamp with time zone NOT NULL,
	"released_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"max_downloads" integer NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"last_download_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text
);
--> statement-breakpoint
ALTER TABLE "access_package_links" ADD CONSTRAINT "access_package_links_request_id_rights_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."rights_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_package_links" ADD CONSTRAINT "access_package_links_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_package_links_token" ON "access_package_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "access_package_links_request" ON "access_package_links" USING btree ("request_id","released_at");--> statement-breakpoint
CREATE INDEX "access_package_links_org" ON "access_package_links" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "access_package_links_released_by" ON "access_package_links" USING btree ("released_by") WHERE released_by is not null;--> statement-breakpoint
CREATE INDEX "access_package_links_revoked_by" ON "access_package_links" USING btree ("revoked_by") WHERE revoked_by is not null;