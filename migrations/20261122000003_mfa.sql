-- Second factors: TOTP secrets (encrypted at rest, AES-256-GCM, key id kept for rotation) and
-- single-use recovery codes (hashed).

CREATE TABLE mfa_totp (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_enc      bytea NOT NULL,
    key_id          text NOT NULL,
    confirmed_at    timestamptz,
    -- The last 30-second step a code was accepted for: a code works once (no replay).
    last_used_step  bigint,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mfa_recovery_codes (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mfa_recovery_codes_by_user ON mfa_recovery_codes (user_id) WHERE used_at IS NULL;

ALTER TABLE mfa_totp ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_totp FORCE ROW LEVEL SECURITY;
CREATE POLICY mfa_totp_self ON mfa_totp FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY mfa_totp_system ON mfa_totp FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE mfa_recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY mfa_recovery_codes_self ON mfa_recovery_codes FOR ALL TO rxgate_app
    USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY mfa_recovery_codes_system ON mfa_recovery_codes FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_totp, mfa_recovery_codes TO rxgate_app;
