-- The audit log becomes a table partitioned by month on "at" (DESIGN §3.7, Annex D
-- Traceability: 6 months online, then archived), so the retention job archives a month and
-- drops its partition instead of deleting millions of rows. Partitions live in their own
-- schema, `audit_partitions`; rows outside every monthly partition land in the DEFAULT one
-- and are moved out when the month's partition is created (app/gdpr/audit-retention.server.ts).
-- The key must include the partition column: (id, at).
CREATE SCHEMA IF NOT EXISTS audit_partitions;
--> statement-breakpoint
ALTER TABLE "audit_events" RENAME TO "audit_events_unpartitioned";
--> statement-breakpoint
ALTER TABLE "audit_events_unpartitioned" RENAME CONSTRAINT "audit_events_pkey" TO "audit_events_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "audit_events_org_at" RENAME TO "audit_events_unpartitioned_org_at";
--> statement-breakpoint
ALTER INDEX "audit_events_actor" RENAME TO "audit_events_unpartitioned_actor";
--> statement-breakpoint
ALTER INDEX "audit_events_target" RENAME TO "audit_events_unpartitioned_target";
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint DEFAULT nextval('audit_events_id_seq'::regclass) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"org_id" uuid,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"outcome" text NOT NULL,
	"ip" text,
	"user_agent" text,
	"details" jsonb,
	CONSTRAINT "audit_events_id_at_pk" PRIMARY KEY("id","at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id";
--> statement-breakpoint
CREATE TABLE audit_partitions.audit_events_default PARTITION OF "audit_events" DEFAULT;
--> statement-breakpoint
-- Monthly partitions (UTC months) from the oldest existing entry (at most 24 months back) to
-- three months ahead; the retention job keeps creating them ahead from then on.
DO $$
DECLARE
  m timestamp;
  stop timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months';
BEGIN
  SELECT greatest(
           date_trunc('month', coalesce(min("at"), now()) AT TIME ZONE 'UTC'),
           date_trunc('month', now() AT TIME ZONE 'UTC') - interval '24 months')
    INTO m FROM "audit_events_unpartitioned";
  WHILE m <= stop LOOP
    EXECUTE format(
      'CREATE TABLE audit_partitions.%I PARTITION OF public.audit_events FOR VALUES FROM (%L) TO (%L)',
      'audit_events_p' || to_char(m, 'YYYYMM'),
      (m AT TIME ZONE 'UTC'),
      ((m + interval '1 month') AT TIME ZONE 'UTC'));
    m := m + interval '1 month';
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "audit_events" ("id", "at", "org_id", "actor_id", "action", "target_type", "target_id", "outcome", "ip", "user_agent", "details")
  SELECT "id", "at", "org_id", "actor_id", "action", "target_type", "target_id", "outcome", "ip", "user_agent", "details" FROM "audit_events_unpartitioned";
--> statement-breakpoint
DROP TABLE "audit_events_unpartitioned";
--> statement-breakpoint
CREATE INDEX "audit_events_org_at" ON "audit_events" USING btree ("org_id","at");
--> statement-breakpoint
CREATE INDEX "audit_events_actor" ON "audit_events" USING btree ("actor_id");
--> statement-breakpoint
CREATE INDEX "audit_events_target" ON "audit_events" USING btree ("target_id");
