-- Waitlists (SPEC C4): a patient waits for a doctor's time in a date range; a slot that frees
-- up is offered to the first waiting patient as a time-limited hold, then to the next when the
-- offer lapses.

CREATE TYPE waitlist_status AS ENUM ('waiting', 'offered', 'booked', 'lapsed', 'left');

CREATE TABLE booking_waitlist (
    id                 uuid PRIMARY KEY,
    clinic_id          uuid NOT NULL REFERENCES organisations (id),
    doctor_id          uuid NOT NULL REFERENCES users (id),
    patient_id         uuid NOT NULL REFERENCES users (id),
    -- The doctor's local dates the patient can come on, both included.
    from_date          date NOT NULL,
    to_date            date NOT NULL,
    status             waitlist_status NOT NULL DEFAULT 'waiting',
    -- The hold a freed slot was offered as.
    offered_booking_id uuid REFERENCES bookings (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (from_date <= to_date AND to_date - from_date <= 62),
    CHECK (status <> 'offered' OR offered_booking_id IS NOT NULL)
);
-- The queue of each doctor: first come, first offered.
CREATE INDEX booking_waitlist_queue ON booking_waitlist (doctor_id, created_at) WHERE status = 'waiting';
CREATE INDEX booking_waitlist_by_patient ON booking_waitlist (patient_id, created_at DESC);
CREATE INDEX booking_waitlist_by_clinic ON booking_waitlist (clinic_id);
CREATE INDEX booking_waitlist_by_offer ON booking_waitlist (offered_booking_id) WHERE offered_booking_id IS NOT NULL;
-- One open place per patient and doctor.
CREATE UNIQUE INDEX booking_waitlist_one_open ON booking_waitlist (patient_id, doctor_id)
    WHERE status IN ('waiting', 'offered');
CREATE TRIGGER booking_waitlist_updated_at BEFORE UPDATE ON booking_waitlist
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE booking_waitlist ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_waitlist FORCE ROW LEVEL SECURITY;
CREATE POLICY booking_waitlist_patient ON booking_waitlist FOR ALL TO rxgate_app
    USING (patient_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('patient'))::uuid[]))
    WITH CHECK (patient_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('patient'))::uuid[]));
CREATE POLICY booking_waitlist_staff ON booking_waitlist FOR SELECT TO rxgate_app
    USING ((doctor_id = app_user_id() AND clinic_id = ANY ((SELECT app_clinic_ids_as('doctor'))::uuid[]))
           OR clinic_id = ANY ((SELECT app_clinic_ids_as('clinic_admin'))::uuid[]));
CREATE POLICY booking_waitlist_system ON booking_waitlist FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON booking_waitlist TO rxgate_app;
