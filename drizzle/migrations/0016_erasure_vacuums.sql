CREATE TABLE "erasure_vacuums" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"table_name" text NOT NULL,
	"touched_at" timestamp with time zone NOT NULL,
	"vacuumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "erasure_vacuums_table" ON "erasure_vacuums" USING btree ("table_name","vacuumed_at");