-- Invitations: platform admins invite clinic admins, pharmacists, information officers and
-- other platform admins by email. The emailed link is single-use (hashed at rest).
CREATE TABLE invitations (
    id                   uuid PRIMARY KEY,
    email                citext NOT NULL CHECK (length(email) <= 254),
    role                 app_role NOT NULL CHECK (role IN ('clinic_admin', 'pharmacist', 'information_officer', 'platform_admin')),
    organisation_id      uuid NOT NULL REFERENCES organisations (id),
    registration_number  text CHECK (registration_number IS NULL OR length(btrim(registration_number)) BETWEEN 3 AND 40),
    token_hash           bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    invited_by           uuid REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    expires_at           timestamptz NOT NULL,
    accepted_at          timestamptz,
    accepted_user_id     uuid REFERENCES users (id),
    revoked_at           timestamptz,
    CONSTRAINT invitations_pharmacist_registration
        CHECK (role <> 'pharmacist' OR registration_number IS NOT NULL)
);
CREATE INDEX invitations_recent ON invitations (created_at DESC, id DESC);
CREATE INDEX invitations_by_email ON invitations (email) WHERE accepted_at IS NULL;

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_admin ON invitations FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin())
    WITH CHECK (app_is_system() OR app_is_platform_admin());
GRANT SELECT, INSERT, UPDATE ON invitations TO rxgate_app;
