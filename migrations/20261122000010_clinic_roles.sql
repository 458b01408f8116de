-- What someone may do in a clinic depends on the role they hold *there*: a clinic admin of one
-- clinic who is a patient (or doctor) of another must not manage the other. The request's
-- context now carries `app.clinic_roles` ("role:clinic-id,…"), and every policy that acts for
-- one role checks the clinics of that role instead of all of the user's clinics.

CREATE FUNCTION app_clinic_ids_as(role text) RETURNS uuid[]
    LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(split_part(pair, ':', 2)::uuid), '{}')
     FROM unnest(string_to_array(nullif(current_setting('app.clinic_roles', true), ''), ',')) AS pair
    WHERE split_part(pair, ':', 1) = role $$;

-- Identity: clinic admins see the people and memberships of the clinics they administer.
DROP POLICY users_clinic_admin ON users;
CREATE POLICY users_clinic_admin ON users FOR SELECT TO rxgate_app USING (
    EXISTS (SELECT 1 FROM memberships m
             WHERE m.user_id = users.id
               AND m.organisation_id = ANY (app_clinic_ids_as('clinic_admin'))));

DROP POLICY memberships_clinic_admin ON memberships;
CREATE POLICY memberships_clinic_admin ON memberships FOR SELECT TO rxgate_app
    USING (organisation_id = ANY (app_clinic_ids_as('clinic_admin')));

-- A clinic's selection and prices: its admins.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['clinic_products', 'clinic_variant_prices', 'doctor_variant_prices']
    LOOP
        EXECUTE format('DROP POLICY %I ON %I', t || '_manage', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO rxgate_app
                            USING (app_is_system() OR app_is_platform_admin()
                                   OR clinic_id = ANY (app_clinic_ids_as(''clinic_admin'')))
                            WITH CHECK (app_is_system() OR app_is_platform_admin()
                                   OR clinic_id = ANY (app_clinic_ids_as(''clinic_admin'')))',
                       t || '_manage', t);
    END LOOP;
END
$$;

-- A doctor's own prices: in the clinics where they are a doctor.
DROP POLICY doctor_variant_prices_own ON doctor_variant_prices;
CREATE POLICY doctor_variant_prices_own ON doctor_variant_prices FOR ALL TO rxgate_app
    USING (doctor_id = app_user_id() AND clinic_id = ANY (app_clinic_ids_as('doctor')))
    WITH CHECK (doctor_id = app_user_id() AND clinic_id = ANY (app_clinic_ids_as('doctor')));

-- A clinic's own questionnaires: its admins.
DROP POLICY questionnaires_manage ON questionnaires;
CREATE POLICY questionnaires_manage ON questionnaires FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin()
           OR clinic_id = ANY (app_clinic_ids_as('clinic_admin')))
    WITH CHECK (app_is_system() OR app_is_platform_admin()
           OR clinic_id = ANY (app_clinic_ids_as('clinic_admin')));

DROP POLICY questionnaire_versions_manage ON questionnaire_versions;
CREATE POLICY questionnaire_versions_manage ON questionnaire_versions FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin() OR EXISTS (
        SELECT 1 FROM questionnaires q
         WHERE q.id = questionnaire_id AND q.clinic_id = ANY (app_clinic_ids_as('clinic_admin'))))
    WITH CHECK (app_is_system() OR app_is_platform_admin() OR EXISTS (
        SELECT 1 FROM questionnaires q
         WHERE q.id = questionnaire_id AND q.clinic_id = ANY (app_clinic_ids_as('clinic_admin'))));
