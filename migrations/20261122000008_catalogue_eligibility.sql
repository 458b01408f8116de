-- The catalogue (categories, active ingredients, products, variants, images, what each clinic
-- sells and at what price), medical questionnaires with the flags their answers raise, doctors'
-- flag overrides, contraindication rules, and the SQL side of the eligibility engine.

-- Master catalogue ------------------------------------------------------------------------------
CREATE TABLE categories (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL CONSTRAINT categories_slug_key UNIQUE
                CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE active_ingredients (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    -- WHO ATC code where known, e.g. A10BJ06 for semaglutide.
    atc_code    text CHECK (atc_code ~ '^[A-Z][0-9]{2}[A-Z]{0,2}[0-9]{0,2}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX active_ingredients_name_key ON active_ingredients (lower(name));

CREATE TABLE products (
    id                      uuid PRIMARY KEY,
    slug                    text NOT NULL CONSTRAINT products_slug_key UNIQUE
                            CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    name                    text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    category_id             uuid NOT NULL REFERENCES categories (id),
    dosage_form             text NOT NULL CHECK (length(btrim(dosage_form)) BETWEEN 1 AND 80),
    strength                text NOT NULL DEFAULT '' CHECK (length(strength) <= 80),
    -- South African medicine schedules S0–S8; S3 and above need a prescription by law.
    schedule                text NOT NULL CHECK (schedule ~ '^S[0-8]$'),
    requires_prescription   boolean NOT NULL,
    requires_consult        boolean NOT NULL DEFAULT false,
    consult_fee_minor       bigint CHECK (consult_fee_minor >= 0),
    consult_fee_currency    text CHECK (consult_fee_currency ~ '^[A-Z]{3}$'),
    description             text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    active                  boolean NOT NULL DEFAULT true,
    search                  tsvector GENERATED ALWAYS AS (
                                setweight(to_tsvector('english', name), 'A') ||
                                setweight(to_tsvector('english', dosage_form || ' ' || strength), 'B') ||
                                setweight(to_tsvector('english', description), 'C')) STORED,
    created_by              uuid REFERENCES users (id),
    updated_by              uuid REFERENCES users (id),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT products_schedule_needs_prescription
        CHECK (schedule IN ('S0', 'S1', 'S2') OR requires_prescription),
    CONSTRAINT products_consult_fee_pair
        CHECK ((consult_fee_minor IS NULL) = (consult_fee_currency IS NULL))
);
CREATE INDEX products_search ON products USING gin (search);
CREATE INDEX products_by_category ON products (category_id, name, id);
CREATE INDEX products_by_name ON products (name, id);
CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops);
CREATE TRIGGER products_updated_at BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE product_ingredients (
    product_id      uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    ingredient_id   uuid NOT NULL REFERENCES active_ingredients (id),
    PRIMARY KEY (product_id, ingredient_id)
);
CREATE INDEX product_ingredients_by_ingredient ON product_ingredients (ingredient_id);

CREATE TABLE product_variants (
    id              uuid PRIMARY KEY,
    product_id      uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku             text NOT NULL CONSTRAINT product_variants_sku_key UNIQUE
                    CHECK (sku ~ '^[A-Z0-9._-]{1,64}$'),
    strength        text NOT NULL DEFAULT '' CHECK (length(strength) <= 80),
    pack_size       integer NOT NULL CHECK (pack_size > 0),
    price_minor     bigint NOT NULL CHECK (price_minor >= 0),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_variants_by_product ON product_variants (product_id, price_minor);

CREATE TABLE product_images (
    id              uuid PRIMARY KEY,
    product_id      uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    storage_key     text NOT NULL UNIQUE,
    content_type    text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    size_bytes      integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    position        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_images_by_product ON product_images (product_id, position);

-- What each clinic sells, and its prices (SPEC C7) ---------------------------------------------
CREATE TABLE clinic_products (
    clinic_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    product_id  uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, product_id)
);
CREATE INDEX clinic_products_by_product ON clinic_products (product_id);

CREATE TABLE clinic_variant_prices (
    clinic_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    variant_id  uuid NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic_id, variant_id)
);

CREATE TABLE doctor_variant_prices (
    doctor_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinic_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    variant_id  uuid NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doctor_id, clinic_id, variant_id)
);

-- Flags, questionnaires, answers ---------------------------------------------------------------
CREATE TABLE flags (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
    label       text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questionnaires (
    id          uuid PRIMARY KEY,
    -- NULL: platform-wide; otherwise one clinic's own questionnaire.
    clinic_id   uuid REFERENCES organisations (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questionnaires_by_clinic ON questionnaires (clinic_id);

CREATE TYPE questionnaire_status AS ENUM ('draft', 'published', 'retired');

CREATE TABLE questionnaire_versions (
    id                  uuid PRIMARY KEY,
    questionnaire_id    uuid NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    version             integer NOT NULL CHECK (version > 0),
    status              questionnaire_status NOT NULL DEFAULT 'draft',
    -- rxgate_domain::questionnaire::Definition and its Vec<FlagMapping>, validated by the API.
    definition          jsonb NOT NULL,
    mappings            jsonb NOT NULL DEFAULT '[]',
    created_by          uuid REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    published_at        timestamptz,
    CONSTRAINT questionnaire_versions_number_key UNIQUE (questionnaire_id, version),
    CHECK ((status = 'draft') = (published_at IS NULL))
);
-- At most one published version of a questionnaire at a time.
CREATE UNIQUE INDEX questionnaire_versions_one_published
    ON questionnaire_versions (questionnaire_id) WHERE status = 'published';
-- At most one draft at a time.
CREATE UNIQUE INDEX questionnaire_versions_one_draft
    ON questionnaire_versions (questionnaire_id) WHERE status = 'draft';

-- A published version never changes: only its status may move on to retired.
CREATE FUNCTION questionnaire_versions_frozen() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.status <> 'draft' AND (NEW.definition IS DISTINCT FROM OLD.definition
        OR NEW.mappings IS DISTINCT FROM OLD.mappings OR NEW.version <> OLD.version
        OR NEW.questionnaire_id <> OLD.questionnaire_id
        OR (OLD.status = 'retired' AND NEW.status <> 'retired')
        OR NEW.status = 'draft') THEN
        RAISE EXCEPTION 'questionnaire version % is % and cannot change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'questionnaire_versions_frozen';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER questionnaire_versions_frozen BEFORE UPDATE ON questionnaire_versions
    FOR EACH ROW EXECUTE FUNCTION questionnaire_versions_frozen();
CREATE FUNCTION questionnaire_versions_no_delete() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.status <> 'draft' THEN
        RAISE EXCEPTION 'questionnaire version % is % and cannot be deleted', OLD.id, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'questionnaire_versions_frozen';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER questionnaire_versions_no_delete BEFORE DELETE ON questionnaire_versions
    FOR EACH ROW EXECUTE FUNCTION questionnaire_versions_no_delete();

CREATE TYPE response_status AS ENUM ('in_progress', 'submitted');

-- A patient's answers to one version. The answers are clinical: stored encrypted (AES-256-GCM,
-- key id kept for rotation). Re-answering starts a new response; submitted ones are history.
CREATE TABLE questionnaire_responses (
    id              uuid PRIMARY KEY,
    patient_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version_id      uuid NOT NULL REFERENCES questionnaire_versions (id),
    status          response_status NOT NULL DEFAULT 'in_progress',
    answers_enc     bytea NOT NULL,
    key_id          text NOT NULL,
    answered        integer NOT NULL DEFAULT 0,
    visible         integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    submitted_at    timestamptz,
    CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE INDEX questionnaire_responses_by_patient ON questionnaire_responses (patient_id, created_at DESC);
-- One response in progress per patient and questionnaire version.
CREATE UNIQUE INDEX questionnaire_responses_one_open
    ON questionnaire_responses (patient_id, version_id) WHERE status = 'in_progress';
CREATE TRIGGER questionnaire_responses_updated_at BEFORE UPDATE ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The flags derived from a patient's latest submitted response (replaced in the submitting
-- transaction).
CREATE TABLE patient_flags (
    patient_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    flag_code       text NOT NULL REFERENCES flags (code) ON UPDATE CASCADE,
    response_id     uuid NOT NULL REFERENCES questionnaire_responses (id),
    raised_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, flag_code)
);
CREATE INDEX patient_flags_by_flag ON patient_flags (flag_code);

-- A doctor's clinical judgement over the form: raise or clear a flag, with a reason
-- (encrypted). The newest override of a flag counts; older ones are history.
CREATE TABLE flag_overrides (
    id              uuid PRIMARY KEY,
    patient_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    flag_code       text NOT NULL REFERENCES flags (code) ON UPDATE CASCADE,
    raised          boolean NOT NULL,
    reason_enc      bytea NOT NULL,
    key_id          text NOT NULL,
    doctor_id       uuid NOT NULL REFERENCES users (id),
    -- As the doctor was named when they decided (the patient may not read the users table).
    doctor_name     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flag_overrides_by_patient ON flag_overrides (patient_id, flag_code, created_at DESC);

-- The flags that count: derived ones, with each flag's newest override applied.
CREATE VIEW patient_effective_flags WITH (security_invoker = true) AS
WITH latest AS (
    SELECT DISTINCT ON (patient_id, flag_code) patient_id, flag_code, raised
      FROM flag_overrides
     ORDER BY patient_id, flag_code, created_at DESC, id DESC
)
SELECT pf.patient_id, pf.flag_code
  FROM patient_flags pf
 WHERE NOT EXISTS (SELECT 1 FROM latest l
                    WHERE l.patient_id = pf.patient_id AND l.flag_code = pf.flag_code AND NOT l.raised)
UNION
SELECT l.patient_id, l.flag_code FROM latest l WHERE l.raised;

-- Contraindication rules -----------------------------------------------------------------------
CREATE TYPE rule_action AS ENUM ('block', 'review', 'warn');

CREATE TABLE contraindication_rules (
    id                  uuid PRIMARY KEY,
    product_id          uuid REFERENCES products (id) ON DELETE CASCADE,
    ingredient_id       uuid REFERENCES active_ingredients (id) ON DELETE CASCADE,
    flag_code           text NOT NULL REFERENCES flags (code) ON UPDATE CASCADE,
    action              rule_action NOT NULL,
    patient_message     text NOT NULL CHECK (length(btrim(patient_message)) BETWEEN 1 AND 1000),
    clinician_message   text NOT NULL CHECK (length(btrim(clinician_message)) BETWEEN 1 AND 2000),
    active              boolean NOT NULL DEFAULT true,
    created_by          uuid REFERENCES users (id),
    updated_by          uuid REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contraindication_rules_one_target
        CHECK ((product_id IS NULL) <> (ingredient_id IS NULL))
);
CREATE INDEX contraindication_rules_by_product ON contraindication_rules (product_id, flag_code) WHERE active;
CREATE INDEX contraindication_rules_by_ingredient ON contraindication_rules (ingredient_id, flag_code) WHERE active;
CREATE INDEX contraindication_rules_by_flag ON contraindication_rules (flag_code);
CREATE TRIGGER contraindication_rules_updated_at BEFORE UPDATE ON contraindication_rules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Eligibility ----------------------------------------------------------------------------------
-- Whether `patient` holds a valid prescription for `product`. Prescriptions arrive with the
-- e-prescription capability, whose migration replaces this body; until then nobody has one.
CREATE FUNCTION app_has_valid_prescription(patient uuid, product uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT false $$;

-- The eligibility of each of `product_ids` for `patient`, the SQL twin of
-- rxgate_domain::eligibility::evaluate (a test holds them to the same answers): a matching
-- active block rule wins, then review, then a consult when a prescription is needed and not
-- held; warnings always. Reasons are ordered by rule id. Runs with the caller's rights, so
-- row-level security decides whose flags it may read.
CREATE FUNCTION product_eligibility(patient uuid, product_ids uuid[])
RETURNS TABLE (product_id uuid, verdict text, reasons jsonb, warnings jsonb)
    LANGUAGE sql STABLE AS
$$
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
  FROM per_product
$$;

-- Row-level security -----------------------------------------------------------------------------
-- The catalogue, flags, questionnaire definitions and rules are not personal data: everyone
-- may read them; only platform admins (and clinic admins for their clinic's selection, prices
-- and questionnaires) may change them.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['categories', 'active_ingredients', 'products', 'product_ingredients',
                             'product_variants', 'product_images', 'flags', 'contraindication_rules']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO rxgate_app USING (true)', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO rxgate_app
                            USING (app_is_system() OR app_is_platform_admin())
                            WITH CHECK (app_is_system() OR app_is_platform_admin())', t || '_admin', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['clinic_products', 'clinic_variant_prices', 'doctor_variant_prices']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO rxgate_app USING (true)', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO rxgate_app
                            USING (app_is_system() OR app_is_platform_admin()
                                   OR (app_has_role(''clinic_admin'') AND clinic_id = ANY (app_clinic_ids())))
                            WITH CHECK (app_is_system() OR app_is_platform_admin()
                                   OR (app_has_role(''clinic_admin'') AND clinic_id = ANY (app_clinic_ids())))',
                       t || '_manage', t);
    END LOOP;
END
$$;

-- A doctor sets their own prices for their patients, in the clinics they work for (SPEC C7).
CREATE POLICY doctor_variant_prices_own ON doctor_variant_prices FOR ALL TO rxgate_app
    USING (doctor_id = app_user_id() AND app_has_role('doctor') AND clinic_id = ANY (app_clinic_ids()))
    WITH CHECK (doctor_id = app_user_id() AND app_has_role('doctor') AND clinic_id = ANY (app_clinic_ids()));

ALTER TABLE questionnaires ENABLE ROW LEVEL SECURITY;
ALTER TABLE questionnaires FORCE ROW LEVEL SECURITY;
CREATE POLICY questionnaires_read ON questionnaires FOR SELECT TO rxgate_app USING (true);
CREATE POLICY questionnaires_manage ON questionnaires FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin()
           OR (app_has_role('clinic_admin') AND clinic_id = ANY (app_clinic_ids())))
    WITH CHECK (app_is_system() OR app_is_platform_admin()
           OR (app_has_role('clinic_admin') AND clinic_id = ANY (app_clinic_ids())));

ALTER TABLE questionnaire_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE questionnaire_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY questionnaire_versions_read ON questionnaire_versions FOR SELECT TO rxgate_app USING (true);
CREATE POLICY questionnaire_versions_manage ON questionnaire_versions FOR ALL TO rxgate_app
    USING (app_is_system() OR app_is_platform_admin() OR (app_has_role('clinic_admin') AND EXISTS (
        SELECT 1 FROM questionnaires q WHERE q.id = questionnaire_id AND q.clinic_id = ANY (app_clinic_ids()))))
    WITH CHECK (app_is_system() OR app_is_platform_admin() OR (app_has_role('clinic_admin') AND EXISTS (
        SELECT 1 FROM questionnaires q WHERE q.id = questionnaire_id AND q.clinic_id = ANY (app_clinic_ids()))));

-- Answers, flags and overrides are the patient's health data: the patient, the doctors linked
-- to them, and the system.
ALTER TABLE questionnaire_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE questionnaire_responses FORCE ROW LEVEL SECURITY;
CREATE POLICY questionnaire_responses_self ON questionnaire_responses FOR ALL TO rxgate_app
    USING (patient_id = app_user_id() AND app_has_role('patient'))
    WITH CHECK (patient_id = app_user_id() AND app_has_role('patient'));
CREATE POLICY questionnaire_responses_doctor ON questionnaire_responses FOR SELECT TO rxgate_app
    USING (app_doctor_sees(patient_id));
CREATE POLICY questionnaire_responses_system ON questionnaire_responses FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE patient_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_flags FORCE ROW LEVEL SECURITY;
CREATE POLICY patient_flags_self ON patient_flags FOR ALL TO rxgate_app
    USING (patient_id = app_user_id() AND app_has_role('patient'))
    WITH CHECK (patient_id = app_user_id() AND app_has_role('patient'));
CREATE POLICY patient_flags_doctor ON patient_flags FOR SELECT TO rxgate_app
    USING (app_doctor_sees(patient_id));
CREATE POLICY patient_flags_system ON patient_flags FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE flag_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE flag_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY flag_overrides_self ON flag_overrides FOR SELECT TO rxgate_app
    USING (patient_id = app_user_id());
CREATE POLICY flag_overrides_doctor_read ON flag_overrides FOR SELECT TO rxgate_app
    USING (app_doctor_sees(patient_id));
CREATE POLICY flag_overrides_doctor_write ON flag_overrides FOR INSERT TO rxgate_app
    WITH CHECK (doctor_id = app_user_id() AND app_doctor_sees(patient_id));
CREATE POLICY flag_overrides_system ON flag_overrides FOR ALL TO rxgate_app
    USING (app_is_system()) WITH CHECK (app_is_system());

GRANT SELECT, INSERT, UPDATE, DELETE ON categories, active_ingredients, products,
    product_ingredients, product_variants, product_images, clinic_products, clinic_variant_prices,
    doctor_variant_prices, flags, questionnaires, questionnaire_versions, questionnaire_responses,
    patient_flags, contraindication_rules TO rxgate_app;
-- Overrides are history: written once, never changed.
GRANT SELECT, INSERT ON flag_overrides TO rxgate_app;
GRANT SELECT ON patient_effective_flags TO rxgate_app;
