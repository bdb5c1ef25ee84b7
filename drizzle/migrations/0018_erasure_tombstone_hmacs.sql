ALTER TABLE "erasure_tombstones" ADD COLUMN "external_id_hmacs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "erasure_tombstones" ADD COLUMN "name_hmacs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "erasure_tombstones_external_id_hmacs" ON "erasure_tombstones" USING gin ("external_id_hmacs");--> statement-breakpoint
CREATE INDEX "erasure_tombstones_name_hmacs" ON "erasure_tombstones" USING gin ("name_hmacs");