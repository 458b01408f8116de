-- Consultations (SPEC C5): a confirmed booking becomes a consultation, with its own states, the
-- doctor's structured notes (sealed with the data keys), single-use room tickets for the video
-- signalling, and each party's consent to recording.
--
-- A consultation's id is its booking's id (one each), so `/consultations/{id}` and
-- `/bookings/{id}` name the same consult.

CREATE TYPE consultation_status AS ENUM (
    'scheduled', 'in_progress', 'completed', 'incomplete', 'no_show', 'cancelled'
);

CREATE TABLE consultations (
    id          uuid PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    -- Copies of the booking's parties (they never change), for the policies below.
    clinic_id   uuid NOT NULL REFERENCES organisations (id),
    doctor_id   uuid NOT NULL REFERENCES users (id),
    patient_id  uuid NOT NULL REFERENCES users (id),
    status      consultation_status NOT NULL DEFAULT 'scheduled',
    started_at  timestamptz,
    ended_at    timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'scheduled' OR status = 'cancelled' OR status = 'no_show' OR started_at IS NOT NULL)
);
CREATE INDEX consultations_by_clinic ON consultations (clinic_id);
CREATE INDEX consultations_by_doctor ON consultations (doctor_id);
CREATE INDEX consultations_by_patient ON consultations (patient_id);
CREATE TRIGGER consultations_updated_at BEFORE UPDATE ON consultations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every change of a consultation, written in the statement that makes it.
CREATE TABLE consultation_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id  uuid NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    from_status      consultation_status,
    to_status        consultation_status NOT NULL,
    actor_id         uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultation_events_by_consultation ON consultation_events (consultation_id, id);
CREATE INDEX consultation_events_by_actor ON consultation_events (actor_id) WHERE actor_id IS NOT NULL;

-- The doctor's notes: one sealed JSON value (presenting complaint, history, examination,
-- assessment, plan), sealed with the consultation's id as its context. A draft until finalised;
-- final notes never change.
CREATE TABLE consultation_notes (
    consultation_id  uuid PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
    author_id        uuid NOT NULL REFERENCES users (id),
    notes_enc        bytea NOT NULL,
    key_id           text NOT NULL,
    finalised_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultation_notes_by_key ON consultation_notes (key_id);
CREATE INDEX consultation_notes_by_author ON consultation_notes (author_id);
CREATE TRIGGER consultation_notes_updated_at BEFORE UPDATE ON consultation_notes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Final notes are final: only the key rotation (the system re-sealing) may touch them.
CREATE FUNCTION consultation_notes_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS
$$
BEGIN
    IF current_user = 'rxgate_app' AND OLD.finalised_at IS NOT NULL AND NOT app_is_system() THEN
        RAISE EXCEPTION 'final notes cannot be changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER consultation_notes_guard BEFORE UPDATE ON consultation_notes
    FOR EACH ROW EXECUTE FUNCTION consultation_notes_guard();

-- Single-use tickets to the signalling socket (the access token never goes in a URL). Only the
-- SHA-256 of a ticket is stored.
CREATE TABLE consultation_room_tickets (
    token_hash       bytea PRIMARY KEY,
    consultation_id  uuid NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id),
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consultation_room_tickets_expiry ON consultation_room_tickets (expires_at);
CREATE INDEX consultation_room_tickets_by_consultation ON consultation_room_tickets (consultation_id);
CREATE INDEX consultation_room_tickets_by_user ON consultation_room_tickets (user_id);

-- Each party's consent to recording the consult, given in the room. Recording is allowed only
-- when both the doctor and the patient consented.
CREATE TABLE consultation_recording_consents (
    consultation_id  uuid NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id),
    granted_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consultation_id, user_id)
);
CREATE INDEX consultation_recording_consents_by_user ON consultation_recording_consents (user_id);

-- A cancelled booking cancels its consultation if it had not started, whoever cancelled (a
-- patient may cancel their booking but cannot move a consultation themselves).
CREATE FUNCTION consultations_follow_booking() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
BEGIN
    WITH moved AS (
        UPDATE consultations SET status = 'cancelled', ended_at = now()
         WHERE id = NEW.id AND status = 'scheduled'
        RETURNING id)
    INSERT INTO consultation_events (consultation_id, from_status, to_status, actor_id)
    SELECT id, 'scheduled', 'cancelled', app_user_id() FROM moved;
    RETURN NULL;
END
$$;
CREATE TRIGGER consultations_follow_booking AFTER UPDATE OF status ON bookings
    FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
    EXECUTE FUNCTION consultations_follow_booking();

-- Row-level security -----------------------------------------------------------------------------
-- A consultation: whoever may see its booking (its patient, its doctor, the clinic's admins,
-- platform admins, the system). Only the system opens one (a paid booking) and only the
-- booking's doctor (or the system) moves it.
ALTER TABLE consultations ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultations FORCE ROW LEVEL SECURITY;
CREATE POLICY consultations_read ON consultations FOR SELECT TO rxgate_app
    USING (EXISTS (SELECT 1 FROM bookings b WHERE b.id = consultations.id));
CREATE POLICY consultations_open ON consultations FOR INSERT TO rxgate_app
    WITH CHECK (app_is_system());
CREATE POLICY consultations_move ON consultations FOR UPDATE TO rxgate_app
    USING (app_is_system() OR (doctor_id = app_user_id()
           AND clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[])))
    WITH CHECK (app_is_system() OR (doctor_id = app_user_id()
           AND clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[])));

ALTER TABLE consultation_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_events FORCE ROW LEVEL SECURITY;
CREATE POLICY consultation_events_party ON consultation_events FOR SELECT TO rxgate_app
    USING (EXISTS (SELECT 1 FROM consultations c WHERE c.id = consultation_id));
-- (The system's opening event is written in the statement that opens the consultation, which
-- that statement's subquery cannot see yet.)
CREATE POLICY consultation_events_write ON consultation_events FOR INSERT TO rxgate_app
    WITH CHECK (app_is_system() OR EXISTS (SELECT 1 FROM consultations c WHERE c.id = consultation_id));

-- Notes: clinical content. The booking's doctor writes and reads them; the patient reads final
-- notes (the application shows them the plan only); the system re-seals them. Nobody else, not
-- the clinic's admins nor platform admins.
ALTER TABLE consultation_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY consultation_notes_doctor ON consultation_notes FOR ALL TO rxgate_app
    USING (EXISTS (SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND c.doctor_id = app_user_id()
                   AND c.clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[])))
    WITH CHECK (author_id = app_user_id() AND EXISTS (
                   SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND c.doctor_id = app_user_id()
                   AND c.clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[])));
CREATE POLICY consultation_notes_patient ON consultation_notes FOR SELECT TO rxgate_app
    USING (finalised_at IS NOT NULL AND EXISTS (
                   SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND c.patient_id = app_user_id()
                   AND c.clinic_id = ANY ((SELECT app_clinic_ids_as('patient'))::uuid[])));
CREATE POLICY consultation_notes_system ON consultation_notes FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

-- Tickets: a party issues their own; the socket redeems a ticket as the system (the socket
-- has no bearer token, the ticket is the credential).
ALTER TABLE consultation_room_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_room_tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY consultation_room_tickets_own ON consultation_room_tickets FOR INSERT TO rxgate_app
    WITH CHECK (user_id = app_user_id() AND EXISTS (
                   SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND (c.doctor_id = app_user_id() OR c.patient_id = app_user_id())));
CREATE POLICY consultation_room_tickets_system ON consultation_room_tickets FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

-- Recording consents: each party their own; both parties see both.
ALTER TABLE consultation_recording_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE consultation_recording_consents FORCE ROW LEVEL SECURITY;
CREATE POLICY consultation_recording_consents_read ON consultation_recording_consents FOR SELECT TO rxgate_app
    USING (app_is_system() OR EXISTS (SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND (c.doctor_id = app_user_id() OR c.patient_id = app_user_id())));
CREATE POLICY consultation_recording_consents_own ON consultation_recording_consents FOR INSERT TO rxgate_app
    WITH CHECK (user_id = app_user_id() AND EXISTS (
                   SELECT 1 FROM consultations c WHERE c.id = consultation_id
                   AND (c.doctor_id = app_user_id() OR c.patient_id = app_user_id())));

GRANT SELECT, INSERT, UPDATE ON consultations, consultation_notes TO rxgate_app;
-- Events and consents are append-only.
GRANT SELECT, INSERT ON consultation_events, consultation_recording_consents TO rxgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON consultation_room_tickets TO rxgate_app;
