-- Booking (SPEC C4): what a clinic offers (consult modes, fees, cancellation policy), each
-- doctor's availability per clinic they work for, and the patients' bookings of slots, with an
-- exclusion constraint that makes a double booking of a doctor impossible in any clinic.

CREATE TYPE consult_mode AS ENUM ('video', 'audio', 'async_form');
CREATE TYPE booking_status AS ENUM ('held', 'confirmed', 'completed', 'cancelled', 'no_show', 'expired');
-- Why a booking changed: a fixed vocabulary, never free text, so nothing clinical is written
-- next to a booking (a patient's own reason belongs in the consult, encrypted).
CREATE TYPE booking_reason AS ENUM (
    'booked', 'paid', 'hold_expired', 'payment_failed', 'patient_cancelled', 'doctor_cancelled',
    'clinic_cancelled', 'rescheduled', 'completed', 'no_show'
);

-- What a clinic offers --------------------------------------------------------------------------
CREATE TABLE clinic_consult_modes (
    clinic_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    mode        consult_mode NOT NULL,
    fee_minor   bigint NOT NULL CHECK (fee_minor BETWEEN 0 AND 100000000),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, mode)
);

CREATE TABLE clinic_booking_policies (
    clinic_id          uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    -- A patient cancels (or moves) for free until this many hours before the start.
    free_cancel_hours  integer NOT NULL DEFAULT 24 CHECK (free_cancel_hours BETWEEN 0 AND 720),
    -- How long a slot is held while the fee is paid.
    hold_minutes       integer NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 2 AND 60),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER clinic_booking_policies_updated_at BEFORE UPDATE ON clinic_booking_policies
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A doctor's availability, per clinic ---------------------------------------------------------
-- Times are the doctor's wall-clock times in `doctor_profiles.time_zone`.
CREATE TABLE doctor_schedules (
    doctor_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinic_id           uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    slot_minutes        integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
    buffer_minutes      integer NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_minutes  integer NOT NULL CHECK (min_notice_minutes BETWEEN 0 AND 20160),
    horizon_days        integer NOT NULL CHECK (horizon_days BETWEEN 1 AND 365),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doctor_id, clinic_id)
);
CREATE INDEX doctor_schedules_by_clinic ON doctor_schedules (clinic_id);
CREATE TRIGGER doctor_schedules_updated_at BEFORE UPDATE ON doctor_schedules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE doctor_schedule_intervals (
    doctor_id  uuid NOT NULL,
    clinic_id  uuid NOT NULL,
    -- ISO weekday: 1 Monday … 7 Sunday.
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts     time NOT NULL,
    ends       time NOT NULL,
    PRIMARY KEY (doctor_id, clinic_id, weekday, starts),
    FOREIGN KEY (doctor_id, clinic_id) REFERENCES doctor_schedules ON DELETE CASCADE,
    CHECK (starts < ends)
);

CREATE TABLE doctor_schedule_exceptions (
    doctor_id  uuid NOT NULL,
    clinic_id  uuid NOT NULL,
    on_date    date NOT NULL,
    starts     time NOT NULL,
    ends       time NOT NULL,
    -- false: time off (leave); true: extra hours.
    available  boolean NOT NULL,
    PRIMARY KEY (doctor_id, clinic_id, on_date, starts),
    FOREIGN KEY (doctor_id, clinic_id) REFERENCES doctor_schedules ON DELETE CASCADE,
    CHECK (starts < ends)
);

-- Bookings ---------------------------------------------------------------------------------------
CREATE TABLE bookings (
    id               uuid PRIMARY KEY,
    clinic_id        uuid NOT NULL REFERENCES organisations (id),
    doctor_id        uuid NOT NULL REFERENCES users (id),
    patient_id       uuid NOT NULL REFERENCES users (id),
    mode             consult_mode NOT NULL CHECK (mode <> 'async_form'),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    -- The end of the buffer after the consult: the doctor is taken until then.
    blocked_until    timestamptz NOT NULL,
    status           booking_status NOT NULL DEFAULT 'held',
    fee_minor        bigint NOT NULL CHECK (fee_minor >= 0),
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    hold_expires_at  timestamptz,
    -- The payment of the fee (the payments table comes with the payment core).
    payment_id       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at AND ends_at <= blocked_until),
    CONSTRAINT bookings_hold_has_expiry CHECK (status <> 'held' OR hold_expires_at IS NOT NULL),
    -- One doctor, one consult at a time, across every clinic they work for: the ranges of the
    -- bookings that take a slot (held or confirmed) never overlap, buffers included.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        doctor_id WITH =, tstzrange(starts_at, blocked_until) WITH &&
    ) WHERE (status IN ('held', 'confirmed'))
);
CREATE INDEX bookings_by_patient ON bookings (patient_id, starts_at DESC);
CREATE INDEX bookings_by_doctor ON bookings (doctor_id, starts_at);
CREATE INDEX bookings_by_clinic ON bookings (clinic_id, starts_at);
CREATE INDEX bookings_by_payment ON bookings (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX bookings_holds ON bookings (hold_expires_at) WHERE status = 'held';
CREATE TRIGGER bookings_updated_at BEFORE UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Who may move a booking to which state, beyond the rows the policies let them write: only the
-- system confirms (a paid fee) or expires a hold; only the booking's doctor (or the system)
-- records how a consult ended. A patient can cancel or move their own booking, nothing else.
CREATE FUNCTION bookings_guard_status() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS
$$
BEGIN
    -- Only the application's role is held to this (the owner and migrations are not).
    IF current_user <> 'rxgate_app' OR NEW.status = OLD.status OR app_is_system()
       OR app_is_platform_admin() THEN
        RETURN NEW;
    END IF;
    IF NEW.status IN ('confirmed', 'expired', 'held')
       OR (NEW.status IN ('completed', 'no_show') AND NEW.doctor_id IS DISTINCT FROM app_user_id()) THEN
        RAISE EXCEPTION 'a booking cannot be moved to % by this caller', NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER bookings_guard_status BEFORE UPDATE OF status ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_guard_status();

-- Every change of a booking, written in the transaction that makes it.
CREATE TABLE booking_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id   uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    from_status  booking_status,
    to_status    booking_status NOT NULL,
    reason       booking_reason NOT NULL,
    -- The consult's time after the change (a move records the new time).
    starts_at    timestamptz NOT NULL,
    actor_id     uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_events_by_booking ON booking_events (booking_id, id);
CREATE INDEX booking_events_by_actor ON booking_events (actor_id) WHERE actor_id IS NOT NULL;

-- When each of `doctors` is taken in [from_at, to_at), in any clinic: times only, nobody's
-- name, so a patient's slot search can see them without seeing other patients' bookings.
CREATE FUNCTION doctor_busy(doctors uuid[], from_at timestamptz, to_at timestamptz)
    RETURNS TABLE (doctor_id uuid, starts_at timestamptz, blocked_until timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
    SELECT b.doctor_id, b.starts_at, b.blocked_until
      FROM bookings b
     WHERE b.doctor_id = ANY (doctors) AND b.status IN ('held', 'confirmed')
       AND tstzrange(b.starts_at, b.blocked_until) && tstzrange(from_at, to_at)
     ORDER BY b.doctor_id, b.starts_at
$$;
GRANT EXECUTE ON FUNCTION doctor_busy(uuid[], timestamptz, timestamptz) TO rxgate_app;

-- A booking's reminders (`booking.remind` jobs) are dropped when it moves or ends, by whoever
-- may change the booking (the jobs table is the system's: callers cannot delete from it).
CREATE INDEX jobs_booking_reminders ON jobs ((payload->>'booking_id')) WHERE kind = 'booking.remind';
CREATE FUNCTION booking_drop_reminders(booking uuid) RETURNS integer
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
    WITH party AS (
        SELECT 1 FROM bookings b
         WHERE b.id = booking
           AND (app_is_system() OR app_is_platform_admin() OR b.patient_id = app_user_id()
                OR b.doctor_id = app_user_id() OR b.clinic_id = ANY (app_clinic_ids_as('clinic_admin')))),
    gone AS (
        DELETE FROM jobs
         WHERE kind = 'booking.remind' AND status = 'queued' AND payload->>'booking_id' = booking::text
           AND EXISTS (SELECT 1 FROM party)
        RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;
GRANT EXECUTE ON FUNCTION booking_drop_reminders(uuid) TO rxgate_app;

-- The doctors of each clinic whom patients may book: approved doctors with a doctor membership
-- there, with their public professional details (patients may not read the users table). The
-- view runs with its owner's rights on purpose and shows nothing else.
CREATE VIEW clinic_doctors AS
SELECT m.organisation_id AS clinic_id, d.user_id AS doctor_id, u.display_name, d.specialties,
       d.time_zone
  FROM memberships m
  JOIN doctor_profiles d ON d.user_id = m.user_id AND d.status = 'approved'
  JOIN users u ON u.id = m.user_id AND u.status = 'active'
 WHERE m.role = 'doctor';
GRANT SELECT ON clinic_doctors TO rxgate_app;

-- Row-level security -----------------------------------------------------------------------------
-- `app_clinic_ids_as(..)` is read through a scalar subquery so PostgreSQL evaluates it once per
-- statement (an InitPlan), not once per row.
-- A clinic's offer and its doctors' schedules are not personal data: everyone may read them.
-- The clinic's admins (and platform admins) change the offer; a doctor their own schedule in the
-- clinics they work for, and the clinic's admins too.
ALTER TABLE clinic_consult_modes ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinic_consult_modes FORCE ROW LEVEL SECURITY;
CREATE POLICY clinic_consult_modes_read ON clinic_consult_modes FOR SELECT TO rxgate_app USING (true);
CREATE POLICY clinic_consult_modes_manage ON clinic_consult_modes FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin() OR clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]))
    WITH CHECK (app_is_system() OR app_is_platform_admin() OR clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]));

ALTER TABLE clinic_booking_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinic_booking_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY clinic_booking_policies_read ON clinic_booking_policies FOR SELECT TO rxgate_app USING (true);
CREATE POLICY clinic_booking_policies_manage ON clinic_booking_policies FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin() OR clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]))
    WITH CHECK (app_is_system() OR app_is_platform_admin() OR clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]));

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['doctor_schedules', 'doctor_schedule_intervals', 'doctor_schedule_exceptions']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO rxgate_app USING (true)', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO rxgate_app
                            USING (app_is_system() OR app_is_platform_admin()
                                   OR clinic_id = ANY ((SELECT app_clinic_ids_as(''clinic_admin''))::uuid[])
                                   OR (doctor_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as(''doctor''))::uuid[])))
                            WITH CHECK (app_is_system() OR app_is_platform_admin()
                                   OR clinic_id = ANY ((SELECT app_clinic_ids_as(''clinic_admin''))::uuid[])
                                   OR (doctor_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as(''doctor''))::uuid[])))',
                       t || '_manage', t);
    END LOOP;
END
$$;

-- Bookings: the patient (their own, in a clinic they are a patient of), the booking's doctor in
-- a clinic they work for, the clinic's admins, platform admins and the system. Anyone else sees
-- nothing (the API answers 404).
ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY bookings_patient ON bookings FOR ALL TO rxgate_app
    USING (patient_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('patient'))::uuid[]))
    WITH CHECK (patient_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('patient'))::uuid[]));
CREATE POLICY bookings_doctor ON bookings FOR ALL TO rxgate_app
    USING (doctor_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[]))
    WITH CHECK (doctor_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[]));
CREATE POLICY bookings_clinic_admin ON bookings FOR ALL TO rxgate_app
    USING (clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]))
    WITH CHECK (clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]));
CREATE POLICY bookings_admin ON bookings FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

-- A booking's events: whoever may see the booking (the subquery is under the bookings policies).
ALTER TABLE booking_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_events FORCE ROW LEVEL SECURITY;
CREATE POLICY booking_events_party ON booking_events FOR SELECT TO rxgate_app
    USING (EXISTS (SELECT 1 FROM bookings b WHERE b.id = booking_id));
CREATE POLICY booking_events_write ON booking_events FOR INSERT TO rxgate_app
    WITH CHECK (EXISTS (SELECT 1 FROM bookings b WHERE b.id = booking_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON clinic_consult_modes, clinic_booking_policies, doctor_schedules,
    doctor_schedule_intervals, doctor_schedule_exceptions TO rxgate_app;
GRANT SELECT, INSERT, UPDATE ON bookings TO rxgate_app;
-- Events are append-only.
GRANT SELECT, INSERT ON booking_events TO rxgate_app;
