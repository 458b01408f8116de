-- The platform admin's user list searches names and addresses by any fragment.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search ON users USING gin ((lower(email::text || ' ' || display_name)) gin_trgm_ops);
CREATE INDEX users_recent ON users (created_at DESC, id DESC);
CREATE INDEX memberships_by_user ON memberships (user_id);
