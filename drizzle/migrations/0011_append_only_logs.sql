-- The audit log is evidence like the consent log (DESIGN §3.5, §3.7; ADR 014). The app's runtime
-- role gets only SELECT and INSERT on both logs (grants: app/migrate.server.ts, applied by the
-- owner at each start). What legitimately changes them goes through the narrow SECURITY DEFINER
-- functions below, owned by the owner role, each with its own checks and a pinned search_path.
-- They announce themselves to the triggers with a transaction-local flag, which counts only for
-- the tables' owner: the runtime role cannot use it, having no UPDATE/DELETE right at all.
CREATE OR REPLACE FUNCTION carnet_refuse_change() RETURNS trigger AS $$
BEGIN
  IF current_setting('carnet.log_maintenance', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'table % is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION carnet_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION carnet_refuse_change();
--> statement-breakpoint
-- A month's partition, created ahead of time; rows the DEFAULT partition already holds for that
-- month move into it (ATTACH would refuse otherwise). Rows move, none change.
CREATE FUNCTION carnet_audit_ensure_partition(p_month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_name text := 'audit_events_p' || to_char(p_month, 'YYYYMM');
  v_from timestamptz := p_month::timestamp AT TIME ZONE 'UTC';
  v_to timestamptz := (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
  IF p_month IS NULL OR p_month <> date_trunc('month', p_month)::date THEN
    RAISE EXCEPTION 'carnet_audit_ensure_partition: % is not the first day of a month', p_month USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('carnet:audit-partitions'));
  IF to_regclass(format('audit_partitions.%I', v_name)) IS NOT NULL THEN
    RETURN false;
  END IF;
  LOCK TABLE audit_partitions.audit_events_default IN ACCESS EXCLUSIVE MODE;
  EXECUTE format('CREATE TABLE audit_partitions.%I (LIKE public.audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
  PERFORM set_config('carnet.log_maintenance', 'on', true);
  EXECUTE format(
    'WITH moved AS (DELETE FROM audit_partitions.audit_events_default WHERE at >= %L AND at < %L RETURNING *) INSERT INTO audit_partitions.%I SELECT * FROM moved',
    v_from, v_to, v_name);
  PERFORM set_config('carnet.log_maintenance', '', true);
  EXECUTE format('ALTER TABLE public.audit_events ATTACH PARTITION audit_partitions.%I FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
  RETURN true;
END;
$$;
--> statement-breakpoint
-- The online period, as the owner last set it (at start-up, from CARNET_AUDIT_ONLINE_MONTHS).
-- Beside the partitions, where the runtime role has no access at all.
CREATE TABLE audit_partitions.retention (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  online_months integer NOT NULL CHECK (online_months >= 1)
);
--> statement-breakpoint
INSERT INTO audit_partitions.retention (online_months) VALUES (6);
--> statement-breakpoint
-- Removes one whole month from the online audit log, once it has left the online period (by the
-- database's clock) and every organization's entries of that month are counted in
-- audit_archives. Returns the rows removed.
CREATE FUNCTION carnet_audit_drop_month(p_month date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_name text := 'audit_events_p' || to_char(p_month, 'YYYYMM');
  v_from timestamptz := p_month::timestamp AT TIME ZONE 'UTC';
  v_to timestamptz := (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
  v_online int := coalesce((SELECT online_months FROM audit_partitions.retention), 6);
  v_cutoff timestamptz := (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => v_online)) AT TIME ZONE 'UTC';
  v_org uuid;
  v_rows bigint;
  v_count bigint;
  v_removed bigint := 0;
BEGIN
  IF p_month IS NULL OR p_month <> date_trunc('month', p_month)::date THEN
    RAISE EXCEPTION 'carnet_audit_drop_month: % is not the first day of a month', p_month USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF v_to > v_cutoff THEN
    RAISE EXCEPTION 'audit month % is still online (kept % months): not removed', to_char(p_month, 'YYYY-MM'), v_online
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT e.org_id, count(*) INTO v_org, v_rows
    FROM public.audit_events e
   WHERE e.at >= v_from AND e.at < v_to
   GROUP BY e.org_id
  HAVING count(*) > coalesce((SELECT sum(a.entries) FROM public.audit_archives a WHERE a.month = p_month AND a.org_id IS NOT DISTINCT FROM e.org_id), 0)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'audit month % is not archived (organization %, % entries): not removed', to_char(p_month, 'YYYY-MM'), coalesce(v_org::text, 'none'), v_rows
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  PERFORM set_config('carnet.log_maintenance', 'on', true);
  IF to_regclass(format('audit_partitions.%I', v_name)) IS NOT NULL THEN
    EXECUTE format('SELECT count(*) FROM audit_partitions.%I', v_name) INTO v_count;
    v_removed := v_removed + v_count;
    EXECUTE format('DROP TABLE audit_partitions.%I', v_name);
  END IF;
  DELETE FROM audit_partitions.audit_events_default WHERE at >= v_from AND at < v_to;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  v_removed := v_removed + v_count;
  PERFORM set_config('carnet.log_maintenance', '', true);
  RETURN v_removed;
END;
$$;
--> statement-breakpoint
-- Erasure keeps a person's audit entries (ids only) but forgets where they came from: the
-- columns the classification marks 'anonymize' (ip, user_agent), and nothing else — and only for
-- someone already erased: a person without an account (or, p_org given, without a membership
-- there), or an organization that no longer exists.
CREATE FUNCTION carnet_audit_anonymize(p_actor uuid, p_org uuid) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_count bigint;
BEGIN
  IF p_actor IS NULL AND p_org IS NULL THEN
    RAISE EXCEPTION 'carnet_audit_anonymize: name a person or an organization' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_actor IS NULL AND EXISTS (SELECT 1 FROM public.organizations WHERE id = p_org) THEN
    RAISE EXCEPTION 'carnet_audit_anonymize: organization % still exists', p_org USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF p_actor IS NOT NULL AND p_org IS NULL AND EXISTS (SELECT 1 FROM public.users WHERE id = p_actor) THEN
    RAISE EXCEPTION 'carnet_audit_anonymize: person % still has an account', p_actor USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF p_actor IS NOT NULL AND p_org IS NOT NULL AND EXISTS (SELECT 1 FROM public.memberships WHERE user_id = p_actor AND org_id = p_org) THEN
    RAISE EXCEPTION 'carnet_audit_anonymize: person % is still a member of %', p_actor, p_org USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  PERFORM set_config('carnet.log_maintenance', 'on', true);
  UPDATE public.audit_events SET ip = NULL, user_agent = NULL
   WHERE (p_actor IS NULL OR actor_id = p_actor)
     AND (p_org IS NULL OR org_id = p_org)
     AND (ip IS NOT NULL OR user_agent IS NOT NULL);
  GET DIAGNOSTICS v_count = ROW_COUNT;
  PERFORM set_config('carnet.log_maintenance', '', true);
  RETURN v_count;
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION carnet_audit_ensure_partition(date), carnet_audit_drop_month(date), carnet_audit_anonymize(uuid, uuid) FROM PUBLIC;
