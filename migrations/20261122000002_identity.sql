-- Identity and access: organisations, users, memberships, profiles, sessions, one-time email
-- tokens, consents, and the tamper-evident audit log. Row-level security on every table.

CREATE FUNCTION app_uuid_list(setting text) RETURNS uuid[]
    LANGUAGE sql STABLE AS
$$ SELECT coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::uuid[], '{}') $$;

CREATE FUNCTION app_clinic_ids() RETURNS uuid[]
    LANGUAGE sql STABLE AS $$ SELECT app_uuid_list('app.clinic_ids') $$;

CREATE FUNCTION app_pharmacy_ids() RETURNS uuid[]
    LANGUAGE sql STABLE AS $$ SELECT app_uuid_list('app.pharmacy_ids') $$;

CREATE FUNCTION app_is_platform_admin() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT app_has_role('platform_admin') $$;

-- Organisations -------------------------------------------------------------------------------
CREATE TYPE organisation_kind AS ENUM ('platform', 'clinic', 'pharmacy');

CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    kind        organisation_kind NOT NULL,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    slug        citext NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](-?[a-z0-9])*$' AND length(slug) <= 63),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Exactly one platform organisation.
CREATE UNIQUE INDEX organisations_one_platform ON organisations (kind) WHERE kind = 'platform';
CREATE TRIGGER organisations_updated_at BEFORE UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Users ----------------------------------------------------------------------------------------
CREATE TYPE user_status AS ENUM ('active', 'suspended');

CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    email              citext NOT NULL UNIQUE CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
    email_verified_at  timestamptz,
    password_hash      text,
    display_name       text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 120),
    status             user_status NOT NULL DEFAULT 'active',
    -- Brute-force protection: consecutive failures and the time before which login is refused.
    failed_logins      integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TYPE app_role AS ENUM (
    'patient', 'doctor', 'pharmacist', 'clinic_admin', 'platform_admin', 'information_officer'
);

CREATE TABLE memberships (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    role             app_role NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, organisation_id, role)
);
CREATE INDEX memberships_by_org ON memberships (organisation_id, role);

-- A role only makes sense in an organisation of the matching kind.
CREATE FUNCTION memberships_check_kind() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
$$
DECLARE
    k organisation_kind;
BEGIN
    SELECT kind INTO k FROM organisations WHERE id = NEW.organisation_id;
    IF NOT (
        (NEW.role IN ('patient', 'doctor', 'clinic_admin') AND k = 'clinic')
        OR (NEW.role = 'pharmacist' AND k = 'pharmacy')
        OR (NEW.role IN ('platform_admin', 'information_officer') AND k = 'platform')
    ) THEN
        RAISE EXCEPTION 'role % does not belong in a % organisation', NEW.role, k
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_role_kind';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER memberships_role_kind BEFORE INSERT OR UPDATE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_check_kind();

-- Profiles -------------------------------------------------------------------------------------
CREATE TABLE patient_profiles (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    date_of_birth  date,
    phone          text CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER patient_profiles_updated_at BEFORE UPDATE ON patient_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TYPE doctor_status AS ENUM ('pending', 'approved', 'rejected', 'suspended');

CREATE TABLE doctor_profiles (
    user_id             uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    licence_number      text NOT NULL CHECK (length(btrim(licence_number)) BETWEEN 3 AND 40),
    licence_body        text NOT NULL CHECK (length(btrim(licence_body)) BETWEEN 2 AND 40),
    licence_region      text NOT NULL CHECK (length(btrim(licence_region)) BETWEEN 2 AND 40),
    licence_expires_on  date NOT NULL,
    specialties         text[] NOT NULL DEFAULT '{}',
    time_zone           text NOT NULL,
    referral_code       citext NOT NULL UNIQUE CHECK (referral_code ~ '^[A-Za-z0-9]{6,16}$'),
    status              doctor_status NOT NULL DEFAULT 'pending',
    status_reason       text,
    decided_by          uuid REFERENCES users (id),
    decided_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (licence_body, licence_number),
    CONSTRAINT doctor_profiles_rejection_has_reason
        CHECK (status NOT IN ('rejected', 'suspended') OR status_reason IS NOT NULL)
);
CREATE INDEX doctor_profiles_by_status ON doctor_profiles (status, created_at);
CREATE TRIGGER doctor_profiles_updated_at BEFORE UPDATE ON doctor_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE pharmacist_profiles (
    user_id              uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    registration_number  text NOT NULL UNIQUE CHECK (length(btrim(registration_number)) BETWEEN 3 AND 40),
    pharmacy_id          uuid NOT NULL REFERENCES organisations (id),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pharmacist_profiles_by_pharmacy ON pharmacist_profiles (pharmacy_id);

-- Which doctor may see which patient: created by a referral, a consult or a prescription.
CREATE TYPE care_link_source AS ENUM ('referral', 'consult', 'prescription');

CREATE TABLE doctor_patient_links (
    doctor_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    patient_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source      care_link_source NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doctor_id, patient_id, source)
);
CREATE INDEX doctor_patient_links_by_patient ON doctor_patient_links (patient_id);

-- Whether the acting doctor is linked to `patient`. SECURITY DEFINER so policies on other
-- tables can ask without the links table's own policy recursing.
CREATE FUNCTION app_doctor_sees(patient uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$
    SELECT app_has_role('doctor') AND EXISTS (
        SELECT 1 FROM doctor_patient_links
         WHERE doctor_id = app_user_id() AND patient_id = patient)
$$;

-- Sessions and tokens -------------------------------------------------------------------------
CREATE TABLE sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    mfa_at        timestamptz,
    ip            inet,
    user_agent    text,
    revoked_at    timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at DESC) WHERE revoked_at IS NULL;

-- Opaque refresh tokens, stored as SHA-256. Each use rotates the token; presenting a used one
-- again means it was stolen, and the whole session (the token family) is revoked.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TYPE email_token_purpose AS ENUM ('verify_email', 'reset_password');

CREATE TABLE email_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     email_token_purpose NOT NULL,
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

-- Consents -------------------------------------------------------------------------------------
CREATE TABLE consents (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose         text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{1,40}$'),
    policy_version  text NOT NULL CHECK (length(policy_version) BETWEEN 1 AND 40),
    granted         boolean NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    ip              inet,
    user_agent      text
);
CREATE INDEX consents_by_user ON consents (user_id, purpose, recorded_at DESC);

-- Audit log ------------------------------------------------------------------------------------
CREATE TYPE audit_risk AS ENUM ('low', 'medium', 'high');

CREATE TABLE audit_events (
    seq           bigint PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    actor_id      uuid,
    acting_role   text,
    action        text NOT NULL CHECK (action ~ '^[a-z][a-z_.]{1,40}$'),
    entity_type   text NOT NULL CHECK (entity_type ~ '^[a-z][a-z_]{1,40}$'),
    entity_id     text,
    clinic_id     uuid,
    ip            inet,
    user_agent    text,
    request_id    text,
    risk          audit_risk NOT NULL DEFAULT 'low',
    details       jsonb NOT NULL DEFAULT '{}',
    prev_hash     bytea NOT NULL,
    hash          bytea NOT NULL
);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, seq DESC);
CREATE INDEX audit_events_by_entity ON audit_events (entity_type, entity_id, seq DESC);
CREATE INDEX audit_events_by_action ON audit_events (action, seq DESC);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);

-- The head of the chain. Updating its single row serialises appends, so the chain follows
-- commit order; the row lock is held only until the appending transaction ends.
CREATE TABLE audit_chain_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq       bigint NOT NULL,
    hash      bytea NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- The canonical text of an event, hashed with its predecessor's hash. Verification uses the
-- same function, so the two can never disagree on the format.
CREATE FUNCTION audit_event_hash(e audit_events) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS
$$
    SELECT digest(
        concat_ws(E'\x1f',
            e.seq::text, e.id::text,
            (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text,
            coalesce(e.actor_id::text, ''), coalesce(e.acting_role, ''), e.action, e.entity_type,
            coalesce(e.entity_id, ''), coalesce(e.clinic_id::text, ''), coalesce(host(e.ip), ''),
            coalesce(e.user_agent, ''), coalesce(e.request_id, ''), e.risk::text, e.details::text,
            encode(e.prev_hash, 'hex')),
        'sha256')
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
$$
DECLARE
    head audit_chain_head;
BEGIN
    UPDATE audit_chain_head SET seq = seq + 1 RETURNING * INTO head;
    NEW.seq := head.seq;
    NEW.occurred_at := date_trunc('microseconds', clock_timestamp());
    NEW.prev_hash := head.hash;
    NEW.hash := audit_event_hash(NEW);
    UPDATE audit_chain_head SET hash = NEW.hash;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE FUNCTION audit_events_immutable() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();

-- The first broken link, walking the whole chain: a row whose hash does not match its content,
-- whose prev_hash is not its predecessor's hash, a gap in the sequence, or a head that does
-- not match the last row (a deleted tail). NULL when the chain is intact.
CREATE FUNCTION audit_verify_chain() RETURNS TABLE (broken_seq bigint, reason text, checked bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$
    WITH walk AS (
        SELECT e.seq, e.hash, e.prev_hash, audit_event_hash(e) AS recomputed,
               lag(e.hash) OVER (ORDER BY e.seq) AS expected_prev,
               lag(e.seq) OVER (ORDER BY e.seq) AS prev_seq
          FROM audit_events e
    ), problems AS (
        SELECT seq,
               CASE
                   WHEN hash <> recomputed THEN 'content does not match its hash'
                   WHEN prev_seq IS NOT NULL AND seq <> prev_seq + 1 THEN 'events are missing before this one'
                   WHEN prev_seq IS NULL AND seq <> 1 THEN 'events are missing before this one'
                   WHEN prev_hash <> coalesce(expected_prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                       THEN 'link to the previous event is broken'
               END AS reason
          FROM walk
    ), tail AS (
        SELECT h.seq AS head_seq, h.hash AS head_hash,
               (SELECT max(seq) FROM audit_events) AS last_seq,
               (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS last_hash
          FROM audit_chain_head h
    )
    SELECT p.seq, p.reason, (SELECT count(*) FROM audit_events)
      FROM problems p WHERE p.reason IS NOT NULL
    UNION ALL
    SELECT t.head_seq, 'the newest events were removed', (SELECT count(*) FROM audit_events)
      FROM tail t
     WHERE t.head_seq <> coalesce(t.last_seq, 0)
        OR (t.last_seq IS NOT NULL AND t.head_hash <> t.last_hash)
    ORDER BY 1
    LIMIT 1
$$;

-- Row-level security ---------------------------------------------------------------------------
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
-- Organisation names are public (clinic pages, pharmacy names on orders); changes are not.
CREATE POLICY organisations_read ON organisations FOR SELECT TO rxgate_app USING (true);
CREATE POLICY organisations_write ON organisations FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users FOR SELECT TO rxgate_app USING (id = app_user_id());
CREATE POLICY users_self_update ON users FOR UPDATE TO rxgate_app
    USING (id = app_user_id()) WITH CHECK (id = app_user_id());
CREATE POLICY users_doctor ON users FOR SELECT TO rxgate_app USING (app_doctor_sees(id));
CREATE POLICY users_admin ON users FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());
-- Clinic admins see the people of their clinic (names and emails, nothing clinical).
CREATE POLICY users_clinic_admin ON users FOR SELECT TO rxgate_app USING (
    app_has_role('clinic_admin') AND EXISTS (
        SELECT 1 FROM memberships m
         WHERE m.user_id = users.id AND m.organisation_id = ANY (app_clinic_ids())));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_self ON memberships FOR SELECT TO rxgate_app USING (user_id = app_user_id());
CREATE POLICY memberships_clinic_admin ON memberships FOR SELECT TO rxgate_app
    USING (app_has_role('clinic_admin') AND organisation_id = ANY (app_clinic_ids()));
CREATE POLICY memberships_admin ON memberships FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

ALTER TABLE patient_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY patient_profiles_self ON patient_profiles FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY patient_profiles_doctor ON patient_profiles FOR SELECT TO rxgate_app
    USING (app_doctor_sees(user_id));
CREATE POLICY patient_profiles_system ON patient_profiles FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE doctor_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE doctor_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY doctor_profiles_self ON doctor_profiles FOR SELECT TO rxgate_app USING (user_id = app_user_id());
-- An approved doctor's professional details are public (patients choose a doctor by them).
CREATE POLICY doctor_profiles_public ON doctor_profiles FOR SELECT TO rxgate_app USING (status = 'approved');
CREATE POLICY doctor_profiles_admin ON doctor_profiles FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

ALTER TABLE pharmacist_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE pharmacist_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY pharmacist_profiles_self ON pharmacist_profiles FOR SELECT TO rxgate_app
    USING (user_id = app_user_id() OR pharmacy_id = ANY (app_pharmacy_ids()));
CREATE POLICY pharmacist_profiles_admin ON pharmacist_profiles FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

ALTER TABLE doctor_patient_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE doctor_patient_links FORCE ROW LEVEL SECURITY;
CREATE POLICY doctor_patient_links_party ON doctor_patient_links FOR SELECT TO rxgate_app
    USING (doctor_id = app_user_id() OR patient_id = app_user_id());
CREATE POLICY doctor_patient_links_system ON doctor_patient_links FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_self ON sessions FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY sessions_system ON sessions FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_system ON refresh_tokens FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE email_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY email_tokens_system ON email_tokens FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE consents FORCE ROW LEVEL SECURITY;
CREATE POLICY consents_self ON consents FOR SELECT TO rxgate_app USING (user_id = app_user_id());
CREATE POLICY consents_self_insert ON consents FOR INSERT TO rxgate_app WITH CHECK (user_id = app_user_id());
CREATE POLICY consents_officer ON consents FOR SELECT TO rxgate_app USING (app_has_role('information_officer'));
CREATE POLICY consents_system ON consents FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
-- Every request writes its own audit events; only the information officer reads them.
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO rxgate_app WITH CHECK (true);
CREATE POLICY audit_events_officer ON audit_events FOR SELECT TO rxgate_app
    USING (app_has_role('information_officer') OR app_is_system());

GRANT SELECT, INSERT, UPDATE ON organisations, users, memberships, patient_profiles,
    doctor_profiles, pharmacist_profiles, sessions, refresh_tokens, email_tokens TO rxgate_app;
GRANT DELETE ON memberships TO rxgate_app;
GRANT SELECT, INSERT, DELETE ON doctor_patient_links TO rxgate_app;
GRANT SELECT, INSERT ON consents, audit_events TO rxgate_app;
GRANT EXECUTE ON FUNCTION audit_verify_chain() TO rxgate_app;

-- The platform itself is an organisation (platform admins and information officers are its
-- members). It exists in every installation, so it is created here with a fixed id.
INSERT INTO organisations (id, kind, name, slug)
VALUES ('00000000-0000-7000-8000-000000000001', 'platform', 'Rxgate platform', 'platform');
