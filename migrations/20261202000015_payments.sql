-- The payment core (issue 11, SPEC C8): payments through a gateway port, every provider
-- webhook kept once by its provider event id, refunds, and the stored answers of money-moving
-- POSTs sent with an `Idempotency-Key`.
--
-- A payment's status moves only `pending → succeeded | failed`, `succeeded →
-- partially_refunded | refunded`, `partially_refunded → partially_refunded | refunded`
-- (`rxgate_domain::payments::transition`); every change is a compare-and-set on the status.

CREATE TYPE payment_status AS ENUM ('pending', 'succeeded', 'failed', 'refunded', 'partially_refunded');
CREATE TYPE payment_purpose AS ENUM ('consult_fee');

CREATE TABLE payments (
    id                  uuid PRIMARY KEY,
    payer_id            uuid NOT NULL REFERENCES users (id),
    clinic_id           uuid NOT NULL REFERENCES organisations (id),
    amount_minor        bigint NOT NULL CHECK (amount_minor >= 0),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    purpose             payment_purpose NOT NULL,
    -- What the payment is for (the booking id for a consult fee).
    reference           uuid NOT NULL,
    provider            text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{1,31}$'),
    -- The provider's own id of the payment, once the provider has one.
    provider_reference  text CHECK (length(provider_reference) BETWEEN 1 AND 200),
    status              payment_status NOT NULL DEFAULT 'pending',
    refunded_minor      bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    succeeded_at        timestamptz,
    CONSTRAINT payments_refund_within_amount CHECK (refunded_minor <= amount_minor),
    -- The refunded amount and the status say the same thing.
    CONSTRAINT payments_refund_status CHECK (
        CASE status
            WHEN 'refunded' THEN refunded_minor = amount_minor
            WHEN 'partially_refunded' THEN refunded_minor > 0 AND refunded_minor < amount_minor
            ELSE refunded_minor = 0
        END),
    CONSTRAINT payments_succeeded_at CHECK (
        (succeeded_at IS NOT NULL) = (status IN ('succeeded', 'refunded', 'partially_refunded')))
);
CREATE TRIGGER payments_updated_at BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- One provider id names one payment.
CREATE UNIQUE INDEX payments_provider_reference ON payments (provider, provider_reference)
    WHERE provider_reference IS NOT NULL;
-- A payer's list, newest first.
CREATE INDEX payments_by_payer ON payments (payer_id, created_at DESC, id DESC);
CREATE INDEX payments_by_clinic ON payments (clinic_id, created_at DESC, id DESC);
-- What a purpose's code looks up (the payments of a booking).
CREATE INDEX payments_by_reference ON payments (purpose, reference);
CREATE INDEX payments_by_status ON payments (status, created_at);

-- A refund asked of the provider; applied to its payment when the provider confirms it.
CREATE TYPE payment_refund_status AS ENUM ('requested', 'succeeded', 'failed');

CREATE TABLE payment_refunds (
    id                  uuid PRIMARY KEY,
    payment_id          uuid NOT NULL REFERENCES payments (id),
    amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
    reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status              payment_refund_status NOT NULL DEFAULT 'requested',
    provider_reference  text CHECK (length(provider_reference) BETWEEN 1 AND 200),
    requested_by        uuid REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    settled_at          timestamptz,
    CONSTRAINT payment_refunds_settled CHECK ((settled_at IS NULL) = (status = 'requested'))
);
CREATE INDEX payment_refunds_by_payment ON payment_refunds (payment_id, created_at);
CREATE INDEX payment_refunds_by_requester ON payment_refunds (requested_by);
CREATE INDEX payment_refunds_open ON payment_refunds (status) WHERE status = 'requested';

-- Every webhook that passed its signature check, once: the provider's event id is unique, so a
-- redelivery inserts nothing. An event that cannot apply yet (a refund before the payment
-- succeeded) stays unprocessed and is applied after the change it waits for; an event that
-- never applies (unknown type, unknown payment, a step already taken) is processed as ignored.
CREATE TABLE payment_events (
    id                  uuid PRIMARY KEY,
    provider            text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{1,31}$'),
    provider_event_id   text NOT NULL CHECK (length(provider_event_id) BETWEEN 1 AND 200),
    type                text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    payment_id          uuid REFERENCES payments (id),
    payload             jsonb NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    processed_at        timestamptz,
    outcome             text CHECK (outcome IN ('applied', 'ignored')),
    CONSTRAINT payment_events_once UNIQUE (provider, provider_event_id),
    CONSTRAINT payment_events_outcome CHECK ((processed_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX payment_events_by_payment ON payment_events (payment_id, received_at);
CREATE INDEX payment_events_waiting ON payment_events (payment_id, received_at)
    WHERE processed_at IS NULL;

-- The first answer to a money-moving POST sent with an `Idempotency-Key`, per caller, route
-- and key: replayed for 24 hours. `status_code` is NULL while the first request runs.
CREATE TABLE idempotency_keys (
    user_id        uuid NOT NULL REFERENCES users (id),
    route          text NOT NULL CHECK (length(route) BETWEEN 1 AND 300),
    key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash   bytea NOT NULL CHECK (length(request_hash) = 32),
    status_code    smallint CHECK (status_code BETWEEN 100 AND 599),
    content_type   text,
    response_body  bytea,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    PRIMARY KEY (user_id, route, key),
    CONSTRAINT idempotency_keys_complete CHECK (
        (status_code IS NULL) = (completed_at IS NULL)
        AND (status_code IS NULL OR response_body IS NOT NULL))
);
-- What the cleanup job deletes (entries older than 24 hours).
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Row-level security ---------------------------------------------------------------------------
-- A payer sees their own payments; a clinic's admins see the clinic's; platform admins see all.
-- Writes go through the use cases: the payer starts a payment (pending, nothing refunded), and
-- the status changes come from webhooks, which act as the system.
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY payments_payer ON payments FOR SELECT TO rxgate_app USING (payer_id = app_user_id());
CREATE POLICY payments_payer_start ON payments FOR INSERT TO rxgate_app
    WITH CHECK (payer_id = app_user_id() AND status = 'pending' AND refunded_minor = 0);
CREATE POLICY payments_payer_reference ON payments FOR UPDATE TO rxgate_app
    USING (payer_id = app_user_id() AND status = 'pending')
    WITH CHECK (payer_id = app_user_id() AND status = 'pending' AND refunded_minor = 0);
CREATE POLICY payments_clinic_admin ON payments FOR SELECT TO rxgate_app
    USING (clinic_id = ANY (app_clinic_ids_as('clinic_admin')));
-- A clinic admin may lock their clinic's payments (a refund takes its turn with the payment's
-- webhooks: `SELECT … FOR UPDATE` needs an UPDATE policy) but never change one.
CREATE POLICY payments_clinic_admin_lock ON payments FOR UPDATE TO rxgate_app
    USING (clinic_id = ANY (app_clinic_ids_as('clinic_admin'))) WITH CHECK (false);
CREATE POLICY payments_admin ON payments FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

ALTER TABLE payment_refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY payment_refunds_payer ON payment_refunds FOR SELECT TO rxgate_app USING (
    EXISTS (SELECT 1 FROM payments p WHERE p.id = payment_id AND p.payer_id = app_user_id()));
CREATE POLICY payment_refunds_clinic_admin ON payment_refunds FOR ALL TO rxgate_app USING (
    EXISTS (SELECT 1 FROM payments p WHERE p.id = payment_id
               AND p.clinic_id = ANY (app_clinic_ids_as('clinic_admin'))))
    WITH CHECK (EXISTS (SELECT 1 FROM payments p WHERE p.id = payment_id
               AND p.clinic_id = ANY (app_clinic_ids_as('clinic_admin'))));
CREATE POLICY payment_refunds_admin ON payment_refunds FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());

-- Webhooks arrive without a user: only the system reads and writes them.
ALTER TABLE payment_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_events FORCE ROW LEVEL SECURITY;
CREATE POLICY payment_events_system ON payment_events FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());
CREATE POLICY payment_events_admin ON payment_events FOR SELECT TO rxgate_app
    USING (app_is_platform_admin());

-- The idempotency middleware acts as the system (it runs before the handler's transaction).
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_system ON idempotency_keys FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

GRANT SELECT, INSERT, UPDATE ON payments, payment_refunds, payment_events TO rxgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO rxgate_app;
