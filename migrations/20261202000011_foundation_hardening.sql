-- Foundation hardening (issue 9): an audit trail that no longer serialises every audited
-- request on one row, sessions that end their access tokens at once, narrower row-level
-- security, one SQL price rule, indexes on every foreign key, and recurring jobs.

-- SECURITY DEFINER functions run as the owner: without pg_temp last on their search path, a
-- caller could shadow a table or function with a temporary one of the same name.
ALTER FUNCTION memberships_check_kind() SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION app_doctor_sees(uuid) SET search_path = pg_catalog, public, pg_temp;

-- Sessions ---------------------------------------------------------------------------------------
-- Whether an access token's session still counts. Read by the statement that opens every
-- signed-in request's transaction (one primary-key lookup), so logout, reuse revocation and
-- suspension end a token at once instead of when it expires.
CREATE FUNCTION app_session_live(session uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
    SELECT session IS NULL OR EXISTS (
        SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = session AND s.revoked_at IS NULL AND u.status = 'active')
$$;
GRANT EXECUTE ON FUNCTION app_session_live(uuid) TO rxgate_app;

-- The sign-in endpoints look a credential up in the system context, then act as its user in
-- the same transaction: a user keeps the refresh tokens of their own sessions.
CREATE POLICY refresh_tokens_self ON refresh_tokens FOR ALL TO rxgate_app
    USING (EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_id AND s.user_id = app_user_id()))
    WITH CHECK (EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_id AND s.user_id = app_user_id()));

-- The audit trail ------------------------------------------------------------------------------
-- Before: a BEFORE INSERT trigger updated the single audit_chain_head row, so every audited
-- transaction waited for every other one to commit. Now an insert touches nothing shared: it
-- takes a number from a sequence (for listing) and its transaction id, both column defaults the
-- application role cannot override (it may insert only the other columns). A sealing
-- job links queued events into the hash chain in batches, in the order of their transaction
-- ids, taking only events whose transactions are older than the oldest transaction still
-- running (the snapshot's xmin): those have all committed, and no transaction that could still
-- add an event has a smaller id, so nothing can later slot in before an event already sealed.
DROP TRIGGER audit_events_chain ON audit_events;
DROP FUNCTION audit_events_chain();
DROP FUNCTION audit_verify_chain();

CREATE SEQUENCE audit_events_seq;
SELECT setval('audit_events_seq', coalesce((SELECT max(seq) FROM audit_events), 0) + 1, false);
ALTER SEQUENCE audit_events_seq OWNED BY audit_events.seq;
ALTER TABLE audit_events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq');
ALTER TABLE audit_events ALTER COLUMN occurred_at SET DEFAULT date_trunc('microseconds', clock_timestamp());
-- What the sealer scans: events at or above its transaction-id watermark.
CREATE INDEX audit_events_by_xid ON audit_events (xid, seq);
-- Time filters on an append-only table: a BRIN index is nearly free to keep up to date.
DROP INDEX audit_events_by_time;
CREATE INDEX audit_events_by_time ON audit_events USING brin (occurred_at);

-- The chain itself, written only by audit_seal(). Existing events were chained by the old
-- trigger with their seq as position: they keep those links.
CREATE TABLE audit_chain (
    chain_seq  bigint PRIMARY KEY CHECK (chain_seq > 0),
    event_seq  bigint NOT NULL UNIQUE REFERENCES audit_events (seq),
    prev_hash  bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash       bytea NOT NULL CHECK (length(hash) = 32),
    sealed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_chain (chain_seq, event_seq, prev_hash, hash, sealed_at)
SELECT seq, seq, prev_hash, hash, occurred_at FROM audit_events;
DROP FUNCTION audit_event_hash(audit_events);
ALTER TABLE audit_events DROP COLUMN prev_hash, DROP COLUMN hash;

-- Every event of a transaction older than `low_xid` is chained: the sealer looks only above it.
ALTER TABLE audit_chain_head ADD COLUMN low_xid xid8 NOT NULL DEFAULT '0';

-- Signed checkpoints: an Ed25519 signature (by the server's signing key) over a chain position
-- and its hash. Exported and kept elsewhere, they stop even the database owner from quietly
-- recomputing the chain after changing an event; verification starts from the newest one.
CREATE TABLE audit_checkpoints (
    chain_seq   bigint PRIMARY KEY REFERENCES audit_chain (chain_seq),
    hash        bytea NOT NULL CHECK (length(hash) = 32),
    key_id      text NOT NULL,
    signature   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The canonical text of an event at a chain position, hashed with its predecessor's hash.
-- The same text the old trigger hashed (with the position in place of seq), so events chained
-- before this migration still verify.
CREATE FUNCTION audit_link_hash(e audit_events, chain_seq bigint, prev_hash bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS
$$
    SELECT digest(
        concat_ws(E'\x1f',
            chain_seq::text, e.id::text,
            (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text,
            coalesce(e.actor_id::text, ''), coalesce(e.acting_role, ''), e.action, e.entity_type,
            coalesce(e.entity_id, ''), coalesce(e.clinic_id::text, ''), coalesce(host(e.ip), ''),
            coalesce(e.user_agent, ''), coalesce(e.request_id, ''), e.risk::text, e.details::text,
            encode(prev_hash, 'hex')),
        'sha256')
$$;

-- The server stamps each event (number, time, transaction) through column defaults: the
-- application role may insert only the other columns.
REVOKE INSERT ON audit_events FROM rxgate_app;
GRANT INSERT (id, actor_id, acting_role, action, entity_type, entity_id, clinic_id, ip,
              user_agent, request_id, risk, details) ON audit_events TO rxgate_app;
GRANT USAGE ON SEQUENCE audit_events_seq TO rxgate_app;

-- Links up to `max_events` new events into the chain; returns how many. One sealer at a time
-- (the head row's lock); appends never wait for it. New events are those at or above the
-- head's transaction-id watermark that have no link yet; when a run takes all of them below the
-- horizon, the watermark moves up to the horizon.
CREATE FUNCTION audit_seal(max_events integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
DECLARE
    horizon  xid8 := pg_snapshot_xmin(pg_current_snapshot());
    head     audit_chain_head;
    ev       audit_events;
    link     bytea;
    sealed   integer := 0;
BEGIN
    IF NOT app_is_system() THEN
        RAISE EXCEPTION 'only the system seals the audit chain' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO head FROM audit_chain_head FOR UPDATE;
    FOR ev IN
        SELECT e.* FROM audit_events e
         WHERE e.xid >= head.low_xid AND e.xid < horizon
           AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq)
         ORDER BY e.xid, e.seq
         LIMIT max_events
    LOOP
        link := audit_link_hash(ev, head.seq + 1, head.hash);
        INSERT INTO audit_chain (chain_seq, event_seq, prev_hash, hash)
        VALUES (head.seq + 1, ev.seq, head.hash, link);
        head.seq := head.seq + 1;
        head.hash := link;
        sealed := sealed + 1;
    END LOOP;
    -- A full run leaves nothing below the horizon: look above it next time. A run cut short
    -- by `max_events` may have left events of the last transaction: start there.
    IF sealed < max_events THEN
        head.low_xid := greatest(head.low_xid, horizon);
    ELSIF ev.xid IS NOT NULL THEN
        head.low_xid := greatest(head.low_xid, ev.xid);
    END IF;
    UPDATE audit_chain_head SET seq = head.seq, hash = head.hash, low_xid = head.low_xid;
    RETURN sealed;
END
$$;

-- The first broken link from chain position `from_seq` on: an event whose content does not
-- match its hash, a link that does not follow its predecessor, a gap, or a head that is not the
-- last link (a removed tail). No row when intact. `checked` is how many links were walked.
CREATE FUNCTION audit_verify_chain(from_seq bigint)
    RETURNS TABLE (broken_seq bigint, reason text, checked bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
    WITH walk AS (
        SELECT c.chain_seq, c.hash, c.prev_hash,
               audit_link_hash(e, c.chain_seq, c.prev_hash) AS recomputed,
               lag(c.hash) OVER (ORDER BY c.chain_seq) AS expected_prev,
               lag(c.chain_seq) OVER (ORDER BY c.chain_seq) AS prev_seq
          FROM audit_chain c
          JOIN audit_events e ON e.seq = c.event_seq
         WHERE c.chain_seq >= greatest(from_seq - 1, 1)
    ), problems AS (
        SELECT chain_seq,
               CASE
                   WHEN hash <> recomputed THEN 'content does not match its hash'
                   WHEN prev_seq IS NOT NULL AND chain_seq <> prev_seq + 1 THEN 'events are missing before this one'
                   WHEN prev_seq IS NULL AND chain_seq <> greatest(from_seq - 1, 1) THEN 'events are missing before this one'
                   WHEN prev_seq IS NULL AND chain_seq = 1
                        AND prev_hash <> '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                       THEN 'link to the previous event is broken'
                   WHEN prev_seq IS NOT NULL AND prev_hash <> expected_prev
                       THEN 'link to the previous event is broken'
               END AS reason
          FROM walk
    ), tail AS (
        SELECT h.seq AS head_seq, h.hash AS head_hash,
               (SELECT max(chain_seq) FROM audit_chain) AS last_seq,
               (SELECT hash FROM audit_chain ORDER BY chain_seq DESC LIMIT 1) AS last_hash
          FROM audit_chain_head h
    )
    SELECT p.chain_seq, p.reason, (SELECT count(*) FROM walk)
      FROM problems p WHERE p.reason IS NOT NULL
    UNION ALL
    SELECT t.head_seq, 'the newest events were removed', (SELECT count(*) FROM walk)
      FROM tail t
     WHERE t.head_seq <> coalesce(t.last_seq, 0)
        OR (t.last_seq IS NOT NULL AND t.head_hash <> t.last_hash)
    ORDER BY 1
    LIMIT 1
$$;

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();

-- Row-level security of the chain. The sealer runs as the owner (SECURITY DEFINER) in the
-- system context, so these policies are for PUBLIC: FORCE applies them to the owner too.
ALTER TABLE audit_chain ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_read ON audit_chain FOR SELECT
    USING (app_has_role('information_officer') OR app_is_system());
CREATE POLICY audit_chain_seal ON audit_chain FOR INSERT WITH CHECK (app_is_system());

ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_head_seal ON audit_chain_head FOR ALL
    USING (app_is_system() OR app_has_role('information_officer')) WITH CHECK (app_is_system());

ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_checkpoints_read ON audit_checkpoints FOR SELECT TO rxgate_app
    USING (app_has_role('information_officer') OR app_is_system());
CREATE POLICY audit_checkpoints_write ON audit_checkpoints FOR INSERT TO rxgate_app
    WITH CHECK (app_is_system());

GRANT SELECT ON audit_chain, audit_chain_head TO rxgate_app;
GRANT SELECT, INSERT ON audit_checkpoints TO rxgate_app;
GRANT EXECUTE ON FUNCTION audit_seal(integer), audit_verify_chain(bigint) TO rxgate_app;

-- An event names the actor of the request that wrote it: the acting user, or (only in the
-- system context, e.g. a failed sign-in before anyone is known) whoever the system names.
DROP POLICY audit_events_append ON audit_events;
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO rxgate_app
    WITH CHECK (app_is_system() OR actor_id IS NOT DISTINCT FROM app_user_id());

-- Questionnaire answers and derived flags ------------------------------------------------------
-- A patient may start, edit and submit their own in-progress response; a submitted one is
-- history. Derived flags are written only by app_replace_patient_flags() for the response the
-- patient has just submitted; patients only read them.
DROP POLICY questionnaire_responses_self ON questionnaire_responses;
CREATE POLICY questionnaire_responses_self_read ON questionnaire_responses FOR SELECT TO rxgate_app
    USING (patient_id = app_user_id() AND app_has_role('patient'));
CREATE POLICY questionnaire_responses_self_start ON questionnaire_responses FOR INSERT TO rxgate_app
    WITH CHECK (patient_id = app_user_id() AND app_has_role('patient') AND status = 'in_progress');
CREATE POLICY questionnaire_responses_self_edit ON questionnaire_responses FOR UPDATE TO rxgate_app
    USING (patient_id = app_user_id() AND app_has_role('patient') AND status = 'in_progress')
    WITH CHECK (patient_id = app_user_id() AND app_has_role('patient'));
REVOKE DELETE ON questionnaire_responses FROM rxgate_app;

-- Whatever the context, a submitted response changes only by re-sealing its answers under a
-- new data key (`rxgate rotate-keys`).
CREATE FUNCTION questionnaire_responses_submitted_frozen() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.status = 'submitted' AND (
        NEW.status, NEW.patient_id, NEW.version_id, NEW.answered, NEW.visible, NEW.submitted_at
    ) IS DISTINCT FROM (
        OLD.status, OLD.patient_id, OLD.version_id, OLD.answered, OLD.visible, OLD.submitted_at
    ) THEN
        RAISE EXCEPTION 'a submitted questionnaire response cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'questionnaire_responses_submitted_frozen';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER questionnaire_responses_submitted_frozen BEFORE UPDATE ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION questionnaire_responses_submitted_frozen();

DROP POLICY patient_flags_self ON patient_flags;
CREATE POLICY patient_flags_self_read ON patient_flags FOR SELECT TO rxgate_app
    USING (patient_id = app_user_id() AND app_has_role('patient'));

-- Replaces the acting patient's derived flags with `codes`, taken from `response`, which must
-- be theirs and submitted in this very transaction (now() is the transaction's start).
CREATE FUNCTION app_replace_patient_flags(response uuid, codes text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
DECLARE
    owner uuid;
BEGIN
    SELECT r.patient_id INTO owner FROM questionnaire_responses r
     WHERE r.id = response AND r.status = 'submitted' AND r.submitted_at = now();
    IF owner IS NULL OR NOT (app_is_system()
                             OR (owner = app_user_id() AND app_has_role('patient'))) THEN
        RAISE EXCEPTION 'flags come only from a response submitted in this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM patient_flags WHERE patient_id = owner;
    INSERT INTO patient_flags (patient_id, flag_code, response_id)
    SELECT owner, code, response FROM unnest(codes) AS code GROUP BY code;
END
$$;
GRANT EXECUTE ON FUNCTION app_replace_patient_flags(uuid, text[]) TO rxgate_app;

-- Key rotation re-seals override reasons in place; nothing else about an override changes.
GRANT UPDATE (reason_enc, key_id) ON flag_overrides TO rxgate_app;

-- Prices ---------------------------------------------------------------------------------------
-- The price each variant costs the patient in the clinic: their doctor's own price, else the
-- clinic's, else the list price (SPEC C7; rxgate_domain::catalogue::effective_price is the same
-- rule, and crates/persistence/tests/pricing.rs holds the two to the same answers). Amount and
-- currency always come from the same source. Inlined by the planner (plain SQL, STABLE, no SET),
-- so a filter on product or variant reaches the tables.
CREATE FUNCTION variant_prices(clinic uuid, patient uuid)
    RETURNS TABLE (variant_id uuid, product_id uuid, active boolean, list_price_minor bigint,
                   price_minor bigint, currency text, source text)
    LANGUAGE sql STABLE AS
$$
    SELECT v.id, v.product_id, v.active, v.price_minor,
           coalesce(dp.price_minor, cp.price_minor, v.price_minor),
           CASE WHEN dp.price_minor IS NOT NULL THEN dp.currency
                WHEN cp.price_minor IS NOT NULL THEN cp.currency
                ELSE v.currency END,
           CASE WHEN dp.price_minor IS NOT NULL THEN 'doctor'
                WHEN cp.price_minor IS NOT NULL THEN 'clinic'
                ELSE 'list' END
      FROM product_variants v
      LEFT JOIN clinic_variant_prices cp ON cp.variant_id = v.id AND cp.clinic_id = clinic
      LEFT JOIN LATERAL (
            SELECT d.price_minor, d.currency FROM doctor_variant_prices d
              JOIN doctor_patient_links l ON l.doctor_id = d.doctor_id AND l.patient_id = patient
             WHERE d.variant_id = v.id AND d.clinic_id = clinic
             ORDER BY l.created_at DESC, d.doctor_id
             LIMIT 1) dp ON true
$$;
GRANT EXECUTE ON FUNCTION variant_prices(uuid, uuid) TO rxgate_app;

-- Eligibility ----------------------------------------------------------------------------------
-- The same statement as before, now in PL/pgSQL: a SQL-language function called with a
-- sub-select argument is not inlined and is planned again on every call (2.8 ms of the
-- catalogue page's 3.8 ms); PL/pgSQL keeps the statement's plan for the connection.
CREATE OR REPLACE FUNCTION product_eligibility(patient uuid, product_ids uuid[])
RETURNS TABLE (product_id uuid, verdict text, reasons jsonb, warnings jsonb)
    LANGUAGE plpgsql STABLE AS
$$
#variable_conflict use_column
BEGIN
RETURN QUERY
WITH flags AS (
    SELECT flag_code FROM patient_effective_flags WHERE patient_id = patient
), prods AS (
    SELECT p.id, p.requires_prescription, p.requires_consult
      FROM products p WHERE p.id = ANY (product_ids) AND patient IS NOT NULL
), matched AS (
    SELECT DISTINCT pr.id AS product_id, r.id AS rule_id, r.action, r.flag_code,
           r.patient_message, r.clinician_message
      FROM prods pr
      JOIN contraindication_rules r
        ON r.active
       AND (r.product_id = pr.id
            OR r.ingredient_id IN (SELECT pi.ingredient_id FROM product_ingredients pi
                                    WHERE pi.product_id = pr.id))
      JOIN flags f ON f.flag_code = r.flag_code
), per_product AS (
    SELECT pr.id, pr.requires_prescription, pr.requires_consult,
           coalesce(jsonb_agg(jsonb_build_object('rule_id', m.rule_id, 'flag', m.flag_code,
                        'patient_message', m.patient_message, 'clinician_message', m.clinician_message)
                        ORDER BY m.rule_id) FILTER (WHERE m.action = 'block'), '[]') AS blocks,
           coalesce(jsonb_agg(jsonb_build_object('rule_id', m.rule_id, 'flag', m.flag_code,
                        'patient_message', m.patient_message, 'clinician_message', m.clinician_message)
                        ORDER BY m.rule_id) FILTER (WHERE m.action = 'review'), '[]') AS reviews,
           coalesce(jsonb_agg(jsonb_build_object('rule_id', m.rule_id, 'flag', m.flag_code,
                        'patient_message', m.patient_message, 'clinician_message', m.clinician_message)
                        ORDER BY m.rule_id) FILTER (WHERE m.action = 'warn'), '[]') AS warns
      FROM prods pr LEFT JOIN matched m ON m.product_id = pr.id
     GROUP BY pr.id, pr.requires_prescription, pr.requires_consult
)
SELECT id,
       CASE WHEN jsonb_array_length(blocks) > 0 THEN 'blocked'
            WHEN jsonb_array_length(reviews) > 0 THEN 'needs_review'
            WHEN (requires_prescription OR requires_consult)
                 AND NOT app_has_valid_prescription(patient, id) THEN 'consult_required'
            ELSE 'eligible' END,
       CASE WHEN jsonb_array_length(blocks) > 0 THEN blocks
            WHEN jsonb_array_length(reviews) > 0 THEN reviews
            ELSE '[]'::jsonb END,
       warns
  FROM per_product;
END
$$;

-- Foreign keys without an index (a delete of the parent scans the child; joins go slow).
-- crates/persistence/tests/schema.rs fails when a new one appears.
CREATE INDEX doctor_profiles_decided_by ON doctor_profiles (decided_by);
CREATE INDEX invitations_accepted_user ON invitations (accepted_user_id);
CREATE INDEX invitations_invited_by ON invitations (invited_by);
CREATE INDEX invitations_organisation ON invitations (organisation_id);
CREATE INDEX webauthn_ceremonies_session ON webauthn_ceremonies (session_id);
CREATE INDEX webauthn_ceremonies_user ON webauthn_ceremonies (user_id);
CREATE INDEX products_created_by ON products (created_by);
CREATE INDEX products_updated_by ON products (updated_by);
CREATE INDEX clinic_variant_prices_variant ON clinic_variant_prices (variant_id);
CREATE INDEX doctor_variant_prices_clinic ON doctor_variant_prices (clinic_id);
CREATE INDEX doctor_variant_prices_variant ON doctor_variant_prices (variant_id, clinic_id);
CREATE INDEX questionnaire_versions_created_by ON questionnaire_versions (created_by);
CREATE INDEX questionnaire_responses_version ON questionnaire_responses (version_id);
CREATE INDEX patient_flags_response ON patient_flags (response_id);
CREATE INDEX flag_overrides_doctor ON flag_overrides (doctor_id);
CREATE INDEX flag_overrides_flag ON flag_overrides (flag_code);
CREATE INDEX contraindication_rules_created_by ON contraindication_rules (created_by);
CREATE INDEX contraindication_rules_updated_by ON contraindication_rules (updated_by);

-- Jobs -----------------------------------------------------------------------------------------
-- Recurring work (audit sealing, the purge of finished jobs; later reminders, renewals,
-- payouts): each schedule fires every `every_secs`. A worker claims a due schedule by moving
-- its next_run_at forward in one UPDATE, so with several workers each firing happens once.
CREATE TABLE job_schedules (
    kind         text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
    every_secs   integer NOT NULL CHECK (every_secs BETWEEN 1 AND 31622400),
    payload      jsonb NOT NULL DEFAULT '{}',
    next_run_at  timestamptz NOT NULL DEFAULT now(),
    last_run_at  timestamptz
);
ALTER TABLE job_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_schedules FORCE ROW LEVEL SECURITY;
CREATE POLICY job_schedules_system ON job_schedules FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON job_schedules TO rxgate_app;
-- Purging finished jobs deletes them.
GRANT DELETE ON jobs TO rxgate_app;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
