-- Foundation: the application role, row-level-security context helpers, the durable job queue
-- and the developer mailbox.
--
-- The server connects as `rxgate_app`, a role that owns nothing and cannot bypass row-level
-- security. Migrations run as the owner. Roles are cluster-wide, so creating it is idempotent;
-- operators may create it beforehand with LOGIN and a password (the local cluster script does).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rxgate_app') THEN
        CREATE ROLE rxgate_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS btree_gist;

GRANT USAGE ON SCHEMA public TO rxgate_app;
-- Readiness compares the applied migrations with the ones compiled into the binary.
GRANT SELECT ON _sqlx_migrations TO rxgate_app;

-- Per-transaction request context, set by the server with set_config(..., true) at the start of
-- every transaction. Unset means anonymous: policies then match nothing.
CREATE FUNCTION app_user_id() RETURNS uuid
    LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

CREATE FUNCTION app_roles() RETURNS text[]
    LANGUAGE sql STABLE AS
$$ SELECT coalesce(string_to_array(nullif(current_setting('app.roles', true), ''), ','), '{}') $$;

CREATE FUNCTION app_has_role(role text) RETURNS boolean
    LANGUAGE sql STABLE AS
$$ SELECT role = ANY (app_roles()) $$;

-- Background workers and start-up tasks act as the system, never as a user.
CREATE FUNCTION app_is_system() RETURNS boolean
    LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$;

CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Durable jobs. Claimed with FOR UPDATE SKIP LOCKED; a claimed job holds a lease
-- (`locked_until`) so a crashed worker's job is picked up again after the lease ends.
CREATE TYPE job_status AS ENUM ('queued', 'running', 'succeeded', 'dead');

CREATE TABLE jobs (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
    payload       jsonb       NOT NULL DEFAULT '{}',
    status        job_status  NOT NULL DEFAULT 'queued',
    run_at        timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts  integer     NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 100),
    -- Enqueueing the same (kind, dedupe_key) twice is a no-op: handlers stay idempotent even
    -- when the code that schedules them runs twice.
    dedupe_key    text,
    last_error    text,
    locked_by     text,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    CONSTRAINT jobs_running_has_lease CHECK (status <> 'running' OR locked_until IS NOT NULL),
    CONSTRAINT jobs_finished_when_done CHECK ((status IN ('succeeded', 'dead')) = (finished_at IS NOT NULL))
);

CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_ready ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_by_status ON jobs (status, updated_at DESC, id DESC);

CREATE TRIGGER jobs_updated_at BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Idle workers LISTEN on this channel; NOTIFY is delivered at commit, so a worker never wakes
-- for a job whose transaction rolled back.
CREATE FUNCTION jobs_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('rxgate_jobs', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
-- Any request may enqueue work (the outbox pattern: inside its own transaction); only the
-- system context reads and runs it.
CREATE POLICY jobs_enqueue ON jobs FOR INSERT TO rxgate_app WITH CHECK (status = 'queued' AND attempts = 0);
CREATE POLICY jobs_system ON jobs FOR ALL TO rxgate_app USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON jobs TO rxgate_app;

-- Developer mailbox: where the local email transport delivers. Never used in production mode.
CREATE TABLE dev_mailbox (
    id          uuid        PRIMARY KEY,
    -- The job that delivered it: a retried delivery does not store the message twice.
    job_id      uuid        NOT NULL UNIQUE,
    to_address  text        NOT NULL,
    subject     text        NOT NULL,
    body_text   text        NOT NULL,
    body_html   text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_mailbox_recent ON dev_mailbox (created_at DESC, id DESC);

ALTER TABLE dev_mailbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE dev_mailbox FORCE ROW LEVEL SECURITY;
CREATE POLICY dev_mailbox_system ON dev_mailbox FOR ALL TO rxgate_app USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT ON dev_mailbox TO rxgate_app;
