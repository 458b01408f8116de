//! The demo catalogue: a small, realistic range (GLP-1 agonists, contraceptives, an
//! antihypertensive, an antibiotic, OTC products), the medical-history questionnaire whose
//! answers raise the demo flags, and the contraindication rules that use them.

use rxgate_domain::questionnaire::{Definition, FlagMapping, validate_mapping};
use rxgate_persistence::catalogue::{self, NewProduct, NewVariant};
use rxgate_persistence::{questionnaires, rules};
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::error::SeedError;

pub const FLAGS: [(&str, &str, &str); 7] = [
    ("pregnant", "Pregnant", "Pregnant now (or may be)."),
    (
        "hx_mtc",
        "History of medullary thyroid cancer",
        "Personal or family history of medullary thyroid carcinoma or MEN2.",
    ),
    (
        "on_anticoagulants",
        "Takes anticoagulants",
        "Takes a blood thinner such as warfarin, rivaroxaban or apixaban.",
    ),
    (
        "smoker_over_35",
        "Smoker over 35",
        "Smokes and is 35 or older.",
    ),
    (
        "renal_impairment",
        "Kidney disease",
        "Reports chronic kidney disease.",
    ),
    (
        "penicillin_allergy",
        "Penicillin allergy",
        "Reports an allergy to penicillin.",
    ),
    ("diabetes", "Diabetes", "Reports diabetes."),
];

struct DemoProduct {
    name: &'static str,
    category: &'static str,
    form: &'static str,
    strength: &'static str,
    schedule: &'static str,
    rx: bool,
    consult_fee: Option<i64>,
    ingredients: &'static [&'static str],
    description: &'static str,
    /// (sku, pack size, price in cents)
    variants: &'static [(&'static str, i32, i64)],
}

const PRODUCTS: [DemoProduct; 10] = [
    DemoProduct {
        name: "Semaglutide 0.25 mg pen",
        category: "weight-management",
        form: "pre-filled pen",
        strength: "0.25 mg/dose",
        schedule: "S4",
        rx: true,
        consult_fee: Some(35_000),
        ingredients: &["Semaglutide"],
        description: "A once-weekly GLP-1 receptor agonist injection for type 2 diabetes and, at higher doses, weight management. Needs a doctor's prescription after a consult.",
        variants: &[("SEMA-025-1", 1, 165_000)],
    },
    DemoProduct {
        name: "Liraglutide 6 mg/ml pen",
        category: "weight-management",
        form: "pre-filled pen",
        strength: "6 mg/ml",
        schedule: "S4",
        rx: true,
        consult_fee: Some(35_000),
        ingredients: &["Liraglutide"],
        description: "A once-daily GLP-1 receptor agonist injection. Needs a doctor's prescription after a consult.",
        variants: &[("LIRA-6-3", 3, 210_000), ("LIRA-6-5", 5, 329_000)],
    },
    DemoProduct {
        name: "Ethinylestradiol/Levonorgestrel 30/150 tablets",
        category: "contraception",
        form: "tablet",
        strength: "0.03 mg/0.15 mg",
        schedule: "S4",
        rx: true,
        consult_fee: Some(25_000),
        ingredients: &["Ethinylestradiol", "Levonorgestrel"],
        description: "A combined oral contraceptive pill taken daily for 21 days of each 28.",
        variants: &[("EE-LNG-1X28", 28, 9_900), ("EE-LNG-3X28", 84, 26_500)],
    },
    DemoProduct {
        name: "Desogestrel 75 microgram tablets",
        category: "contraception",
        form: "tablet",
        strength: "75 mcg",
        schedule: "S4",
        rx: true,
        consult_fee: Some(25_000),
        ingredients: &["Desogestrel"],
        description: "A progestogen-only pill, suitable for many people who cannot take oestrogen.",
        variants: &[("DSG-75-84", 84, 18_900)],
    },
    DemoProduct {
        name: "Amlodipine 5 mg tablets",
        category: "heart-health",
        form: "tablet",
        strength: "5 mg",
        schedule: "S3",
        rx: true,
        consult_fee: Some(30_000),
        ingredients: &["Amlodipine"],
        description: "A calcium-channel blocker for high blood pressure.",
        variants: &[("AML-5-30", 30, 7_500)],
    },
    DemoProduct {
        name: "Amoxicillin 500 mg capsules",
        category: "infections",
        form: "capsule",
        strength: "500 mg",
        schedule: "S4",
        rx: true,
        consult_fee: Some(30_000),
        ingredients: &["Amoxicillin"],
        description: "A penicillin antibiotic for bacterial infections.",
        variants: &[("AMX-500-15", 15, 8_900), ("AMX-500-21", 21, 11_900)],
    },
    DemoProduct {
        name: "Fluconazole 150 mg capsule",
        category: "infections",
        form: "capsule",
        strength: "150 mg",
        schedule: "S2",
        rx: false,
        consult_fee: None,
        ingredients: &["Fluconazole"],
        description: "A single-dose antifungal for vaginal thrush, from the pharmacist.",
        variants: &[("FLU-150-1", 1, 6_900)],
    },
    DemoProduct {
        name: "Ibuprofen 200 mg tablets",
        category: "pain-relief",
        form: "tablet",
        strength: "200 mg",
        schedule: "S1",
        rx: false,
        consult_fee: None,
        ingredients: &["Ibuprofen"],
        description: "An anti-inflammatory painkiller for pain, fever and swelling.",
        variants: &[("IBU-200-24", 24, 4_500)],
    },
    DemoProduct {
        name: "Paracetamol 500 mg tablets",
        category: "pain-relief",
        form: "tablet",
        strength: "500 mg",
        schedule: "S0",
        rx: false,
        consult_fee: None,
        ingredients: &["Paracetamol"],
        description: "For mild to moderate pain and fever.",
        variants: &[("PCM-500-24", 24, 2_900)],
    },
    DemoProduct {
        name: "Cetirizine 10 mg tablets",
        category: "allergy",
        form: "tablet",
        strength: "10 mg",
        schedule: "S1",
        rx: false,
        consult_fee: None,
        ingredients: &["Cetirizine"],
        description: "A non-drowsy antihistamine for hay fever and hives.",
        variants: &[("CTZ-10-30", 30, 5_900)],
    },
];

/// (ingredient, flag, action, patient message, clinician message)
const RULES: [(&str, &str, &str, &str, &str); 9] = [
    (
        "Semaglutide",
        "hx_mtc",
        "block",
        "Semaglutide is not suitable for people with a personal or family history of medullary thyroid cancer.",
        "Contraindicated: personal/family history of MTC or MEN2 (boxed warning).",
    ),
    (
        "Liraglutide",
        "hx_mtc",
        "block",
        "Liraglutide is not suitable for people with a personal or family history of medullary thyroid cancer.",
        "Contraindicated: personal/family history of MTC or MEN2 (boxed warning).",
    ),
    (
        "Semaglutide",
        "pregnant",
        "block",
        "Semaglutide must not be used during pregnancy.",
        "Contraindicated in pregnancy; stop at least 2 months before a planned pregnancy.",
    ),
    (
        "Ethinylestradiol",
        "smoker_over_35",
        "block",
        "Combined pills are not safe for smokers aged 35 or over. A doctor can suggest a progestogen-only pill instead.",
        "UKMEC 4: combined hormonal contraception in smokers ≥35 (≥15/day).",
    ),
    (
        "Ibuprofen",
        "on_anticoagulants",
        "review",
        "Ibuprofen can interact with blood thinners, so a clinician will check this order first.",
        "NSAID with anticoagulant: raised bleeding risk; consider paracetamol.",
    ),
    (
        "Fluconazole",
        "on_anticoagulants",
        "review",
        "Fluconazole can interact with blood thinners, so a clinician will check this order first.",
        "Fluconazole inhibits CYP2C9: warfarin INR may rise.",
    ),
    (
        "Amoxicillin",
        "penicillin_allergy",
        "block",
        "You told us you are allergic to penicillin: amoxicillin is a penicillin.",
        "Penicillin allergy: amoxicillin contraindicated.",
    ),
    (
        "Ibuprofen",
        "pregnant",
        "warn",
        "Avoid ibuprofen in pregnancy unless a doctor advises it, especially after 20 weeks.",
        "NSAIDs: avoid ≥20 weeks (oligohydramnios, ductus closure).",
    ),
    (
        "Amlodipine",
        "pregnant",
        "review",
        "A clinician will check whether amlodipine is right for you during pregnancy.",
        "Limited pregnancy data; review indication.",
    ),
];

fn questionnaire() -> serde_json::Value {
    json!({ "questions": [
        { "key": "date_of_birth", "label": "What is your date of birth?", "kind": { "type": "date" }, "required": true },
        { "key": "sex", "label": "What was your sex at birth?", "kind": { "type": "single_choice", "options": [
            { "value": "female", "label": "Female" }, { "value": "male", "label": "Male" },
            { "value": "intersex", "label": "Intersex" } ] }, "required": true },
        { "key": "pregnant", "label": "Are you pregnant, or could you be?", "kind": { "type": "boolean" },
          "required": true, "show_if": { "question": "sex", "equals": { "type": "choice", "value": "female" } } },
        { "key": "smoker", "label": "Do you smoke?", "kind": { "type": "boolean" }, "required": true },
        { "key": "hx_mtc", "label": "Have you or a close family member had medullary thyroid cancer or MEN2?",
          "help": "Multiple endocrine neoplasia type 2.", "kind": { "type": "boolean" }, "required": true },
        { "key": "anticoagulants", "label": "Do you take a blood thinner such as warfarin, rivaroxaban or apixaban?",
          "kind": { "type": "boolean" }, "required": true },
        { "key": "penicillin_allergy", "label": "Are you allergic to penicillin?", "kind": { "type": "boolean" }, "required": true },
        { "key": "conditions", "label": "Do you have any of these conditions?", "kind": { "type": "multiple_choice", "options": [
            { "value": "hypertension", "label": "High blood pressure" }, { "value": "diabetes", "label": "Diabetes" },
            { "value": "kidney_disease", "label": "Kidney disease" }, { "value": "none", "label": "None of these" } ] },
          "required": true },
        { "key": "weight_kg", "label": "What is your weight?", "kind": { "type": "number", "unit": "kg", "min": 20.0, "max": 400.0 },
          "required": false },
        { "key": "other_medicines", "label": "Which other medicines do you take?", "kind": { "type": "free_text", "max_len": 1000 },
          "required": false }
    ]})
}

fn mappings() -> serde_json::Value {
    json!([
        { "flag": "pregnant", "all": [ { "question": "pregnant", "test": { "type": "is_true" } } ] },
        { "flag": "hx_mtc", "all": [ { "question": "hx_mtc", "test": { "type": "is_true" } } ] },
        { "flag": "on_anticoagulants", "all": [ { "question": "anticoagulants", "test": { "type": "is_true" } } ] },
        { "flag": "smoker_over_35", "all": [
            { "question": "smoker", "test": { "type": "is_true" } },
            { "question": "date_of_birth", "test": { "type": "years_since_at_least", "years": 35 } } ] },
        { "flag": "renal_impairment", "all": [ { "question": "conditions", "test": { "type": "chosen", "value": "kidney_disease" } } ] },
        { "flag": "penicillin_allergy", "all": [ { "question": "penicillin_allergy", "test": { "type": "is_true" } } ] },
        { "flag": "diabetes", "all": [ { "question": "conditions", "test": { "type": "chosen", "value": "diabetes" } } ] }
    ])
}

fn bad(e: impl std::fmt::Display) -> SeedError {
    SeedError::Api(format!("demo catalogue: {e}"))
}

/// Loads the demo catalogue once (nothing happens when its flags exist already).
pub async fn seed(
    conn: &mut PgConnection,
    clinic: Uuid,
    keys: &crate::crypto::DataKeys,
) -> Result<(), SeedError> {
    if questionnaires::flags(conn)
        .await?
        .iter()
        .any(|f| f.code == "hx_mtc")
    {
        return Ok(());
    }
    for (code, label, description) in FLAGS {
        questionnaires::insert_flag(conn, code, label, description).await?;
    }
    let definition: Definition = serde_json::from_value(questionnaire()).map_err(bad)?;
    definition.validate().map_err(|e| bad(format!("{e:?}")))?;
    let maps: Vec<FlagMapping> = serde_json::from_value(mappings()).map_err(bad)?;
    for m in &maps {
        validate_mapping(&definition, m).map_err(bad)?;
    }
    let questionnaire_id =
        questionnaires::create_questionnaire(conn, None, "Medical history").await?;
    let version =
        questionnaires::create_draft(conn, questionnaire_id, &questionnaire(), &mappings(), None)
            .await?;
    questionnaires::publish(conn, version).await?;
    demo_patient_answers(conn, keys, version, &definition, &maps).await?;

    let mut categories = Vec::new();
    for (slug, name) in [
        ("weight-management", "Weight management"),
        ("contraception", "Contraception"),
        ("heart-health", "Heart health"),
        ("infections", "Infections"),
        ("pain-relief", "Pain relief"),
        ("allergy", "Allergy"),
    ] {
        categories.push((slug, catalogue::insert_category(conn, slug, name).await?));
    }
    for p in &PRODUCTS {
        let category = categories
            .iter()
            .find(|(slug, _)| *slug == p.category)
            .map(|(_, id)| *id)
            .ok_or_else(|| bad(p.category))?;
        let mut ingredient_ids = Vec::new();
        for name in p.ingredients {
            ingredient_ids.push(catalogue::ingredient_id(conn, name).await?);
        }
        let id = catalogue::insert_product(
            conn,
            &NewProduct {
                slug: rxgate_domain::catalogue::slugify(p.name),
                name: p.name.into(),
                category_id: category,
                dosage_form: p.form.into(),
                strength: p.strength.into(),
                schedule: p.schedule.into(),
                requires_prescription: p.rx,
                requires_consult: false,
                consult_fee_minor: p.consult_fee,
                consult_fee_currency: p.consult_fee.map(|_| "ZAR".to_owned()),
                description: p.description.into(),
                ingredient_ids,
                variants: p
                    .variants
                    .iter()
                    .map(|(sku, pack, price)| NewVariant {
                        sku: (*sku).into(),
                        strength: p.strength.into(),
                        pack_size: *pack,
                        price_minor: *price,
                        currency: "ZAR".into(),
                    })
                    .collect(),
            },
            None,
        )
        .await?;
        catalogue::set_clinic_selection(conn, clinic, id, true).await?;
    }
    // The demo clinic sells paracetamol below list price (SPEC C7).
    catalogue::set_clinic_price_by_sku(conn, clinic, "PCM-500-24", 2_500, "ZAR").await?;
    let admin = rxgate_persistence::users::find_by_email(conn, "admin@rxgate.test")
        .await?
        .ok_or_else(|| bad("the demo admin is missing"))?
        .id;
    for (ingredient, flag, action, patient, clinician) in RULES {
        let ingredient_id = catalogue::ingredient_id(conn, ingredient).await?;
        rules::insert(
            conn,
            &rules::RuleInput {
                product_id: None,
                ingredient_id: Some(ingredient_id),
                flag_code: flag.into(),
                action: action.into(),
                patient_message: patient.into(),
                clinician_message: clinician.into(),
                active: true,
            },
            admin,
        )
        .await?;
    }
    Ok(())
}

/// The demo patient has answered once: born 1991, not pregnant, does not smoke, allergic to
/// penicillin (so amoxicillin is closed to her from the start).
async fn demo_patient_answers(
    conn: &mut PgConnection,
    keys: &crate::crypto::DataKeys,
    version: Uuid,
    definition: &Definition,
    maps: &[FlagMapping],
) -> Result<(), SeedError> {
    use rxgate_domain::questionnaire::{Answers, derive_flags, progress, validate_answers};
    let Some(patient) =
        rxgate_persistence::users::find_by_email(conn, "patient@rxgate.test").await?
    else {
        return Ok(());
    };
    let answers: Answers = serde_json::from_value(json!({
        "date_of_birth": { "type": "date", "value": "1991-03-14" },
        "sex": { "type": "choice", "value": "female" },
        "pregnant": { "type": "bool", "value": false },
        "smoker": { "type": "bool", "value": false },
        "hx_mtc": { "type": "bool", "value": false },
        "anticoagulants": { "type": "bool", "value": false },
        "penicillin_allergy": { "type": "bool", "value": true },
        "conditions": { "type": "choices", "value": ["none"] },
        "weight_kg": { "type": "number", "value": 68.0 },
    }))
    .map_err(bad)?;
    let today = chrono::Utc::now().date_naive();
    let answers =
        validate_answers(definition, &answers, true, today).map_err(|e| bad(format!("{e:?}")))?;
    let (answered, visible) = progress(definition, &answers);
    let plain = serde_json::to_vec(&answers).map_err(bad)?;
    let sealed = keys.seal(&plain, patient.id.as_bytes()).map_err(bad)?;
    let response = questionnaires::save_progress(
        conn,
        None,
        patient.id,
        version,
        &sealed,
        keys.current_id(),
        i32::try_from(answered).unwrap_or(i32::MAX),
        i32::try_from(visible).unwrap_or(i32::MAX),
    )
    .await?;
    questionnaires::mark_submitted(conn, response).await?;
    let flags: Vec<String> = derive_flags(definition, &answers, maps, today)
        .into_iter()
        .collect();
    questionnaires::replace_flags(conn, response, &flags).await?;
    Ok(())
}
