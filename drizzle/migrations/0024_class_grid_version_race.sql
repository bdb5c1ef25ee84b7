-- Two transactions moving the same class's grid version for the first time: the second one's
-- INSERT met the first one's row and did nothing, so its own changes, committed later, kept the
-- first one's version — a process could cache the grid between the two commits and serve it
-- stale. Now the second one overwrites (after waiting for the first to commit), like an UPDATE;
-- a transaction that already moved the version returns before taking any lock.
CREATE OR REPLACE FUNCTION carnet_bump_class_grid(cid uuid) RETURNS void AS $$
DECLARE
  v bigint := pg_current_xact_id()::text::bigint;
BEGIN
  IF cid IS NULL THEN RETURN; END IF;
  PERFORM 1 FROM class_grid_versions WHERE class_id = cid AND version = v;
  IF FOUND THEN RETURN; END IF;
  INSERT INTO class_grid_versions (class_id, version)
    SELECT cid, v WHERE EXISTS (SELECT 1 FROM classes WHERE id = cid)
    ON CONFLICT (class_id) DO UPDATE SET version = excluded.version;
END;
$$ LANGUAGE plpgsql;
