-- Platform admins end other people's sessions when they suspend an account or a doctor.
CREATE POLICY sessions_platform_admin ON sessions FOR ALL TO rxgate_app
    USING (app_is_platform_admin()) WITH CHECK (app_is_platform_admin());
