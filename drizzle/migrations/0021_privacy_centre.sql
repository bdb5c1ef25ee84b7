ALTER TABLE "organizations" ADD COLUMN "city" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "official_code" text;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "status_token_hash" text;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "status_token_issued_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "rights_requests_status_token" ON "rights_requests" USING btree ("status_token_hash") WHERE status_token_hash is not null;