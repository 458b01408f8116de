-- Passkeys (WebAuthn): credentials registered by a user, and the server half of ceremonies in
-- flight between their two requests.

CREATE TABLE passkeys (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The authenticator's credential id: one credential belongs to one account.
    credential_id   bytea NOT NULL CONSTRAINT passkeys_credential_id_key UNIQUE,
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 64),
    -- webauthn-rs' `Passkey`: public key, signature counter, backup state. Public material.
    passkey         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz
);
CREATE INDEX passkeys_by_user ON passkeys (user_id, created_at);

CREATE TABLE webauthn_ceremonies (
    id          uuid PRIMARY KEY,
    -- NULL for a usernameless sign-in, where the authenticator names the user.
    user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    -- A second-factor ceremony belongs to the session that asked for it.
    session_id  uuid REFERENCES sessions (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('register', 'second_factor', 'sign_in')),
    state       jsonb NOT NULL,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((purpose = 'sign_in') = (user_id IS NULL)),
    CHECK ((purpose = 'second_factor') = (session_id IS NOT NULL))
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies (expires_at);

ALTER TABLE passkeys ENABLE ROW LEVEL SECURITY;
ALTER TABLE passkeys FORCE ROW LEVEL SECURITY;
CREATE POLICY passkeys_self ON passkeys FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY passkeys_system ON passkeys FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE webauthn_ceremonies ENABLE ROW LEVEL SECURITY;
ALTER TABLE webauthn_ceremonies FORCE ROW LEVEL SECURITY;
CREATE POLICY webauthn_ceremonies_self ON webauthn_ceremonies FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY webauthn_ceremonies_system ON webauthn_ceremonies FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

GRANT SELECT, INSERT, UPDATE, DELETE ON passkeys, webauthn_ceremonies TO rxgate_app;
