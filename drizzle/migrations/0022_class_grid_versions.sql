CREATE TABLE "class_grid_versions" (
	"class_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- The class grid's version (app/models/learning/grid-cache.server.ts): every write that changes
-- what a class grid shows sets its class's row to the writing transaction's id, from triggers,
-- so no write path (pages, roster import, erasure, CLI) can forget it and every process sees it.
-- A transaction writes the row once per class (later bumps find the same value and skip).
CREATE OR REPLACE FUNCTION carnet_bump_class_grid(cid uuid) RETURNS void AS $$
DECLARE
  v bigint := pg_current_xact_id()::text::bigint;
BEGIN
  IF cid IS NULL THEN RETURN; END IF;
  UPDATE class_grid_versions SET version = v WHERE class_id = cid AND version <> v;
  IF NOT FOUND THEN
    INSERT INTO class_grid_versions (class_id, version)
      SELECT cid, v WHERE EXISTS (SELECT 1 FROM classes WHERE id = cid)
      ON CONFLICT (class_id) DO NOTHING;
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Rows that carry their class (observations, activities, enrolments, groups).
CREATE OR REPLACE FUNCTION carnet_class_grid_by_class() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM carnet_bump_class_grid(OLD.class_id); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.class_id IS DISTINCT FROM OLD.class_id) THEN PERFORM carnet_bump_class_grid(NEW.class_id); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Rows that hang off an activity (results, activity_skills).
CREATE OR REPLACE FUNCTION carnet_class_grid_by_activity() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM carnet_bump_class_grid((SELECT class_id FROM activities WHERE id = OLD.activity_id)); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.activity_id IS DISTINCT FROM OLD.activity_id) THEN
    PERFORM carnet_bump_class_grid((SELECT class_id FROM activities WHERE id = NEW.activity_id));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A child's name, deactivation or erasure: every class the child is enrolled in.
CREATE OR REPLACE FUNCTION carnet_class_grid_by_user() RETURNS trigger AS $$
BEGIN
  PERFORM carnet_bump_class_grid(e.class_id) FROM enrolments e WHERE e.child_id = OLD.id ORDER BY e.class_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A membership (a child archived or back): the child's classes in that organization.
CREATE OR REPLACE FUNCTION carnet_class_grid_by_membership() RETURNS trigger AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  PERFORM carnet_bump_class_grid(e.class_id) FROM enrolments e WHERE e.child_id = r.user_id AND e.org_id = r.org_id ORDER BY e.class_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A skill's code, label or order: the organization's classes (skills change rarely).
CREATE OR REPLACE FUNCTION carnet_class_grid_by_org() RETURNS trigger AS $$
BEGIN
  PERFORM carnet_bump_class_grid(c.id) FROM classes c WHERE c.org_id = OLD.org_id ORDER BY c.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The class itself: renamed (the table's caption), or gone (its row goes too).
CREATE OR REPLACE FUNCTION carnet_class_grid_class() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM class_grid_versions WHERE class_id = OLD.id;
  ELSE
    PERFORM carnet_bump_class_grid(NEW.id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER observations_class_grid AFTER INSERT OR UPDATE OR DELETE ON observations FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_class();
--> statement-breakpoint
CREATE TRIGGER activities_class_grid AFTER INSERT OR UPDATE OR DELETE ON activities FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_class();
--> statement-breakpoint
CREATE TRIGGER enrolments_class_grid AFTER INSERT OR UPDATE OR DELETE ON enrolments FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_class();
--> statement-breakpoint
CREATE TRIGGER groups_class_grid AFTER INSERT OR UPDATE OR DELETE ON groups FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_class();
--> statement-breakpoint
CREATE TRIGGER results_class_grid AFTER INSERT OR UPDATE OR DELETE ON results FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_activity();
--> statement-breakpoint
CREATE TRIGGER activity_skills_class_grid AFTER INSERT OR UPDATE OR DELETE ON activity_skills FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_activity();
--> statement-breakpoint
CREATE TRIGGER users_class_grid AFTER UPDATE OF first_name, last_name, deactivated_at OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_user();
--> statement-breakpoint
CREATE TRIGGER memberships_class_grid AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_membership();
--> statement-breakpoint
CREATE TRIGGER skills_class_grid AFTER UPDATE OR DELETE ON skills FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_by_org();
--> statement-breakpoint
CREATE TRIGGER classes_class_grid AFTER UPDATE OF name OR DELETE ON classes FOR EACH ROW EXECUTE FUNCTION carnet_class_grid_class();
