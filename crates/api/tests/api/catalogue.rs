//! The catalogue with eligibility, the questionnaire and flags, doctors' overrides and the
//! review queue, and rule administration — each with the hostile cases next to the happy path.

use rxgate_api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

const PATIENT: &str = "patient@rxgate.test";
const DOCTOR: &str = "doctor@rxgate.test";
const ADMIN: &str = "admin@rxgate.test";

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_eq!(code, status, "{body}");
    body
}

async fn put_auth(app: &TestApp, path: &str, session: &Value, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn product<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("{name} not in {page}"))
}

async fn catalogue(app: &TestApp, session: &Value) -> Value {
    ok(
        app.get_auth("/api/v1/catalogue/products", session).await,
        200,
    )
    .await
}

/// Complete answers to the demo questionnaire; `yes` names the boolean questions answered yes.
fn answers(version_id: &Value, yes: &[&str]) -> Value {
    let b = |k: &str| json!({ "type": "bool", "value": yes.contains(&k) });
    json!({ "version_id": version_id, "answers": {
        "date_of_birth": { "type": "date", "value": "1980-05-17" },
        "sex": { "type": "choice", "value": "female" },
        "pregnant": b("pregnant"),
        "smoker": b("smoker"),
        "hx_mtc": b("hx_mtc"),
        "anticoagulants": b("anticoagulants"),
        "penicillin_allergy": b("penicillin_allergy"),
        "conditions": { "type": "choices", "value": ["none"] },
        "weight_kg": { "type": "number", "value": 72.5 },
    }})
}

#[tokio::test]
async fn a_patient_sees_the_clinic_catalogue_with_prices_and_eligibility() {
    let app = spawn_app().await;
    app.seed().await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let page = catalogue(&app, &patient).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    let sema = product(&page, "Semaglutide");
    assert_eq!(sema["eligibility"]["verdict"], "consult_required");
    assert_eq!(sema["eligibility"]["consult_fee"]["amount_minor"], 35_000);
    assert_eq!(sema["ingredients"][0]["name"], "Semaglutide");
    let pcm = product(&page, "Paracetamol");
    assert_eq!(pcm["eligibility"]["verdict"], "eligible");
    assert_eq!(
        pcm["from_price"]["amount_minor"], 2_500,
        "the clinic's price"
    );

    // Search, filters, sort and pagination.
    let found = ok(
        app.get_auth(
            "/api/v1/catalogue/products?q=thyroid%20OR%20weekly",
            &patient,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let rx = ok(
        app.get_auth("/api/v1/catalogue/products?prescription=false", &patient)
            .await,
        200,
    )
    .await;
    assert!(
        rx["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["requires_prescription"] == false)
    );
    let cheap = ok(
        app.get_auth("/api/v1/catalogue/products?sort=price&limit=3", &patient)
            .await,
        200,
    )
    .await;
    let prices: Vec<i64> = cheap["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["from_price"]["amount_minor"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let mut seen = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/catalogue/products?limit=4&cursor={c}"),
            None => "/api/v1/catalogue/products?limit=4".into(),
        };
        let page = ok(app.get_auth(&path, &patient).await, 200).await;
        seen += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, 10, "every product once across pages");
    assert_problem(
        app.get_auth("/api/v1/catalogue/products?cursor=zzz", &patient)
            .await,
        400,
        "INVALID_CURSOR",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/catalogue/products?sort=rating", &patient)
            .await,
        400,
        "INVALID_QUERY",
    )
    .await;

    // The product page has variants with prices.
    let id = sema["id"].as_str().unwrap();
    let detail = ok(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &patient)
            .await,
        200,
    )
    .await;
    assert_eq!(detail["variants"][0]["sku"], "SEMA-025-1");
    assert!(detail["description"].as_str().unwrap().contains("GLP-1"));
}

#[tokio::test]
async fn answers_raise_flags_that_block_products_at_once() {
    let app = spawn_app().await;
    app.seed().await;
    // Start from a patient who never answered (the demo patient has answered once).
    sqlx::query("DELETE FROM patient_flags")
        .execute(&app.owner)
        .await
        .unwrap();
    sqlx::query("DELETE FROM questionnaire_responses")
        .execute(&app.owner)
        .await
        .unwrap();
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let q = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await;
    assert_eq!(q["state"], "new");
    let version = q["version_id"].clone();

    // Save and resume.
    let partial = json!({ "version_id": version, "answers": {
        "sex": { "type": "choice", "value": "female" }, "hx_mtc": { "type": "bool", "value": true } } });
    let progress = ok(
        put_auth(&app, "/api/v1/me/questionnaire", &patient, partial).await,
        200,
    )
    .await;
    assert_eq!(progress["answered"], 2);
    let q = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await;
    assert_eq!(q["state"], "in_progress");
    assert_eq!(q["answers"]["hx_mtc"]["value"], true);
    let stored: Vec<u8> = sqlx::query_scalar("SELECT answers_enc FROM questionnaire_responses")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&stored).contains("hx_mtc"),
        "answers are encrypted at rest"
    );

    // Incomplete or malformed answers: one error per question, nothing submitted.
    let incomplete = json!({ "version_id": version, "answers": { "sex": { "type": "choice", "value": "female" } } });
    let body = assert_problem(
        app.post_auth("/api/v1/me/questionnaire/submit", &patient, incomplete)
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "answers.date_of_birth")
    );
    let mut wrong = answers(&version, &[]);
    wrong["answers"]["weight_kg"] = json!({ "type": "text", "value": "heavy" });
    wrong["answers"]["sex"] = json!({ "type": "choice", "value": "robot" });
    wrong["answers"]["shoe_size"] = json!({ "type": "number", "value": 9 });
    let body = assert_problem(
        app.post_auth("/api/v1/me/questionnaire/submit", &patient, wrong)
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"answers.weight_kg")
            && fields.contains(&"answers.sex")
            && fields.contains(&"answers.shoe_size"),
        "{fields:?}"
    );
    let body = assert_problem(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            json!({ "version_id": version, "answers": { "sex": 3 } }),
        )
        .await,
        422,
        "INVALID_BODY",
    )
    .await;
    assert!(body["detail"].is_string());
    let flags: i64 = sqlx::query_scalar("SELECT count(*) FROM patient_flags")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(flags, 0);

    let profile = ok(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            answers(&version, &["hx_mtc", "anticoagulants"]),
        )
        .await,
        200,
    )
    .await;
    let codes: Vec<&str> = profile["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["hx_mtc", "on_anticoagulants"]);
    assert_eq!(profile["submissions"], 1);
    assert!(
        profile["answers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["key"] == "weight_kg" && a["display"] == "72.5 kg")
    );

    let page = catalogue(&app, &patient).await;
    let sema = product(&page, "Semaglutide");
    assert_eq!(sema["eligibility"]["verdict"], "blocked");
    assert!(
        sema["eligibility"]["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("thyroid")
    );
    assert!(
        sema["eligibility"]["reasons"][0]
            .get("clinician_message")
            .is_none(),
        "patients get the patient message only"
    );
    assert_eq!(
        product(&page, "Ibuprofen")["eligibility"]["verdict"],
        "needs_review"
    );
    assert_eq!(
        product(&page, "Paracetamol")["eligibility"]["verdict"],
        "eligible"
    );

    // Re-answering keeps history and replaces the flags.
    let q = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await;
    assert_eq!(q["state"], "submitted");
    let profile = ok(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            answers(&version, &[]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(profile["submissions"], 2);
    assert!(profile["flags"].as_array().unwrap().is_empty());
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Semaglutide")["eligibility"]["verdict"],
        "consult_required"
    );

    // Staff cannot answer a patient questionnaire.
    let doctor = app.login(DOCTOR, DEMO_PASSWORD).await;
    assert_problem(
        app.get_auth("/api/v1/me/questionnaire", &doctor).await,
        403,
        "FORBIDDEN",
    )
    .await;
}

#[tokio::test]
async fn a_doctor_overrides_a_flag_with_a_reason_and_sees_the_review_queue() {
    let app = spawn_app().await;
    app.seed().await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let version = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await["version_id"]
        .clone();
    let profile = ok(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            answers(&version, &["hx_mtc", "anticoagulants"]),
        )
        .await,
        200,
    )
    .await;
    let patient_id = profile["patient_id"].as_str().unwrap().to_owned();

    let doctor = app.login(DOCTOR, DEMO_PASSWORD).await;
    let queue = ok(
        app.get_auth("/api/v1/doctor/review-queue", &doctor).await,
        200,
    )
    .await;
    assert_eq!(queue["items"][0]["patient_id"], patient_id.as_str());
    assert_eq!(queue["items"][0]["flags"], json!(["on_anticoagulants"]));
    // The audit log names whose flags the list showed.
    let shown: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events
          WHERE action = 'read' AND entity_type = 'review_queue'
            AND details -> 'patient_ids' ? $1",
    )
    .bind(patient_id.as_str())
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(shown, 1);

    let chart = ok(
        app.get_auth(
            &format!("/api/v1/patients/{patient_id}/health-profile"),
            &doctor,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(chart["answers"].as_array().unwrap().len(), 9);
    let res = app.post_auth(&format!("/api/v1/patients/{patient_id}/flag-overrides"), &doctor,
        json!({ "flag": "hx_mtc", "raised": false, "reason": "Family history was MEN1, not MEN2: checked with the patient." })).await;
    // Every API answer with health data is kept out of caches.
    assert_eq!(res.headers()["cache-control"], "no-store");
    let chart = ok(res, 201).await;
    let hx = chart["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "hx_mtc")
        .unwrap();
    assert_eq!(
        (hx["from_answers"].as_bool(), hx["effective"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(chart["overrides"][0]["doctor_name"], "Dr Sipho Doctor");
    assert!(
        chart["overrides"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("MEN1")
    );
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT reason_enc FROM flag_overrides")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&sealed).contains("MEN1"),
        "reasons are encrypted at rest"
    );
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Semaglutide")["eligibility"]["verdict"],
        "consult_required"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'flag_override'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // The patient sees who decided and why.
    let own = ok(
        app.get_auth("/api/v1/me/health-profile", &patient).await,
        200,
    )
    .await;
    assert_eq!(own["overrides"][0]["doctor_name"], "Dr Sipho Doctor");
    assert_eq!(own["patient_name"], "Thandi Patient");
    assert_eq!(chart["patient_name"], "Thandi Patient");

    // Hostile: unknown flag, empty reason, a patient, and a patient who is not theirs.
    let path = format!("/api/v1/patients/{patient_id}/flag-overrides");
    assert_problem(
        app.post_auth(
            &path,
            &doctor,
            json!({ "flag": "nope", "raised": true, "reason": "because" }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.post_auth(
            &path,
            &doctor,
            json!({ "flag": "hx_mtc", "raised": true, "reason": "" }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.post_auth(
            &path,
            &patient,
            json!({ "flag": "hx_mtc", "raised": false, "reason": "I disagree" }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    let stranger = uuid::Uuid::new_v4();
    assert_problem(
        app.get_auth(
            &format!("/api/v1/patients/{stranger}/health-profile"),
            &doctor,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    sqlx::query("DELETE FROM doctor_patient_links")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_problem(
        app.get_auth(
            &format!("/api/v1/patients/{patient_id}/health-profile"),
            &doctor,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.post_auth(
            &path,
            &doctor,
            json!({ "flag": "hx_mtc", "raised": true, "reason": "again" }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn an_admin_rule_changes_the_catalogue_at_once_and_bad_rules_are_refused() {
    let app = spawn_app().await;
    app.seed().await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let version = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await["version_id"]
        .clone();
    ok(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            answers(&version, &["penicillin_allergy"]),
        )
        .await,
        200,
    )
    .await;
    let pcm = product(&catalogue(&app, &patient).await, "Paracetamol").clone();
    assert_eq!(pcm["eligibility"]["verdict"], "eligible");

    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let rule = json!({ "product_id": pcm["id"], "flag": "penicillin_allergy", "action": "block",
        "patient_message": "Not for you (demo).", "clinician_message": "Demo rule." });
    let created = ok(
        app.post_auth("/api/v1/admin/rules", &admin, rule.clone())
            .await,
        201,
    )
    .await;
    assert_eq!(created["product_name"], pcm["name"]);
    let blocked = product(&catalogue(&app, &patient).await, "Paracetamol").clone();
    assert_eq!(blocked["eligibility"]["verdict"], "blocked");
    assert_eq!(
        blocked["eligibility"]["reasons"][0]["message"],
        "Not for you (demo)."
    );

    // Retire it: eligible again; the change is audited with before and after.
    let mut retired = rule.clone();
    retired["active"] = json!(false);
    let id = created["id"].as_str().unwrap();
    ok(
        put_auth(
            &app,
            &format!("/api/v1/admin/rules/{id}"),
            &admin,
            retired.clone(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Paracetamol")["eligibility"]["verdict"],
        "eligible"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE entity_type = 'contraindication_rule'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(audited, 2);
    let list = ok(
        app.get_auth("/api/v1/admin/rules?flag=penicillin_allergy", &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);

    // Hostile rules.
    for (patch, field) in [
        (json!({ "flag": "nope" }), "flag"),
        (
            json!({ "ingredient_id": uuid::Uuid::new_v4() }),
            "product_id",
        ),
        (json!({ "patient_message": "   " }), "patient_message"),
    ] {
        let mut bad = rule.clone();
        for (k, v) in patch.as_object().unwrap() {
            bad[k] = v.clone();
        }
        let body = assert_problem(
            app.post_auth("/api/v1/admin/rules", &admin, bad).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(
            body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field),
            "{body}"
        );
    }
    // An action outside the schema's `enum` is refused before anything is checked.
    let mut ban = rule.clone();
    ban["action"] = json!("ban");
    let body = assert_problem(
        app.post_auth("/api/v1/admin/rules", &admin, ban).await,
        422,
        "INVALID_BODY",
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("`block`, `review`, `warn`"),
        "{body}"
    );
    let mut unknown = rule.clone();
    unknown["product_id"] = json!(uuid::Uuid::new_v4());
    assert_problem(
        app.post_auth("/api/v1/admin/rules", &admin, unknown).await,
        409,
        "UNKNOWN_TARGET",
    )
    .await;
    assert_problem(
        app.post_auth("/api/v1/admin/rules", &patient, rule.clone())
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/admin/rules/{}", uuid::Uuid::new_v4()),
            &admin,
            rule,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    let rules: i64 = sqlx::query_scalar("SELECT count(*) FROM contraindication_rules")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(rules, 10, "nine demo rules and the one added");
}

#[tokio::test]
async fn products_and_questionnaire_versions_are_administered_with_their_invariants() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let product = json!({
        "name": "Orlistat 120 mg capsules", "category": "weight-management", "dosage_form": "capsule",
        "strength": "120 mg", "schedule": "S4", "requires_prescription": true,
        "consult_fee": { "amount_minor": 30000, "currency": "ZAR" },
        "ingredients": ["Orlistat"],
        "variants": [{ "sku": "orl-120-84", "pack_size": 84, "price": { "amount_minor": 69900, "currency": "ZAR" } }]
    });
    let created = ok(
        app.post_auth("/api/v1/admin/products", &admin, product.clone())
            .await,
        201,
    )
    .await;
    assert_eq!(created["variants"][0]["sku"], "ORL-120-84");
    // Not sold by the patient's clinic: 404 to them; the admin sees it.
    let id = created["product"]["id"].as_str().unwrap();
    assert_problem(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &patient)
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    ok(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &admin)
            .await,
        200,
    )
    .await;

    let mut dup = product.clone();
    dup["name"] = json!("Orlistat 120 mg capsules (copy)");
    assert_problem(
        app.post_auth("/api/v1/admin/products", &admin, dup).await,
        409,
        "SKU_TAKEN",
    )
    .await;
    let mut otc_s4 = product.clone();
    otc_s4["requires_prescription"] = json!(false);
    otc_s4["variants"][0]["sku"] = json!("X-1");
    otc_s4["variants"][0]["price"]["currency"] = json!("zar");
    let body = assert_problem(
        app.post_auth("/api/v1/admin/products", &admin, otc_s4)
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["requires_prescription", "variants[0].price"]);
    assert_problem(
        app.post_auth("/api/v1/admin/products", &patient, product)
            .await,
        403,
        "FORBIDDEN",
    )
    .await;

    // Questionnaires: a published version is frozen; a new draft with a new question is
    // published and answers to the retired version are refused.
    let versions = ok(
        app.get_auth("/api/v1/admin/questionnaires", &admin).await,
        200,
    )
    .await;
    let published = &versions[0];
    assert_eq!(published["status"], "published");
    let vid = published["id"].as_str().unwrap();
    let mut content =
        json!({ "definition": published["definition"], "mappings": published["mappings"] });
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/admin/questionnaire-versions/{vid}"),
            &admin,
            content.clone(),
        )
        .await,
        409,
        "VERSION_FROZEN",
    )
    .await;
    content["definition"]["questions"].as_array_mut().unwrap().push(json!({
        "key": "alcohol_units", "label": "How many units of alcohol do you drink a week?",
        "kind": { "type": "number", "unit": "units", "min": 0.0, "max": 200.0 }, "required": false }));
    let mut bad = content.clone();
    bad["mappings"].as_array_mut().unwrap().push(json!({ "flag": "heavy_drinker", "all": [
        { "question": "alcohol_units", "test": { "type": "number_above", "threshold": 14.0 } } ] }));
    let qid = published["questionnaire_id"].as_str().unwrap();
    let body = assert_problem(
        app.post_auth(
            &format!("/api/v1/admin/questionnaires/{qid}/versions"),
            &admin,
            bad,
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "unknown_flag");
    let draft = ok(
        app.post_auth(
            &format!("/api/v1/admin/questionnaires/{qid}/versions"),
            &admin,
            content.clone(),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(draft["version"], 2);
    let draft_id = draft["id"].as_str().unwrap();
    assert_eq!(
        ok(
            app.get_auth(
                &format!("/api/v1/admin/questionnaire-versions/{draft_id}"),
                &admin
            )
            .await,
            200
        )
        .await,
        draft
    );
    assert_problem(
        app.get_auth(
            &format!(
                "/api/v1/admin/questionnaire-versions/{}",
                uuid::Uuid::new_v4()
            ),
            &admin,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.get_auth(
            &format!("/api/v1/admin/questionnaire-versions/{draft_id}"),
            &patient,
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_problem(
        app.post_auth(
            &format!("/api/v1/admin/questionnaires/{qid}/versions"),
            &admin,
            content,
        )
        .await,
        409,
        "DRAFT_EXISTS",
    )
    .await;
    ok(
        app.post_auth(
            &format!("/api/v1/admin/questionnaire-versions/{draft_id}/publish"),
            &admin,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_problem(
        app.post_auth(
            &format!("/api/v1/admin/questionnaire-versions/{draft_id}/publish"),
            &admin,
            json!({}),
        )
        .await,
        409,
        "VERSION_FROZEN",
    )
    .await;

    let body = answers(&json!(vid), &[]);
    assert_problem(
        app.post_auth("/api/v1/me/questionnaire/submit", &patient, body)
            .await,
        409,
        "VERSION_RETIRED",
    )
    .await;
    let q = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await;
    assert_eq!(q["version"], 2);
    assert_eq!(q["definition"]["questions"].as_array().unwrap().len(), 11);
    ok(
        app.post_auth(
            "/api/v1/me/questionnaire/submit",
            &patient,
            answers(&q["version_id"], &[]),
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn a_clinic_admin_manages_the_clinic_selection_and_prices_and_nothing_else() {
    let app = spawn_app().await;
    app.seed().await;
    let clinic_admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let clinic = clinic_admin["user"]["memberships"][0]["organisation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products?clinic_id={clinic}&all=true"),
            &clinic_admin,
        )
        .await,
        200,
    )
    .await;
    let ibu = product(&page, "Ibuprofen").clone();
    assert_eq!(ibu["in_selection"], true);
    assert!(
        ibu.get("eligibility").is_none(),
        "staff see no patient's eligibility"
    );

    // Stop selling ibuprofen: gone from the patient's catalogue and 404 on its page.
    let id = ibu["id"].as_str().unwrap();
    let res = put_auth(
        &app,
        &format!("/api/v1/clinics/{clinic}/products/{id}"),
        &clinic_admin,
        json!({ "sells": false }),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        catalogue(&app, &patient).await["items"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    assert_problem(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &patient)
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    let page = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products?clinic_id={clinic}&all=true"),
            &clinic_admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(product(&page, "Ibuprofen")["in_selection"], false);

    // A clinic price: the patient pays it; another currency or a negative amount is refused.
    let detail = ok(
        app.get_auth(
            &format!(
                "/api/v1/catalogue/products/{}",
                product(&page, "Cetirizine")["id"].as_str().unwrap()
            ),
            &clinic_admin,
        )
        .await,
        200,
    )
    .await;
    let variant = detail["variants"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/clinics/{clinic}/prices/{variant}");
    assert_eq!(
        put_auth(
            &app,
            &path,
            &clinic_admin,
            json!({ "price": { "amount_minor": 4_900, "currency": "ZAR" } })
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Cetirizine")["from_price"]["amount_minor"],
        4_900
    );
    let managed = ok(
        app.get_auth(
            &format!(
                "/api/v1/catalogue/products/{}",
                product(&page, "Cetirizine")["id"].as_str().unwrap()
            ),
            &clinic_admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        managed["variants"][0]["clinic_price"]["amount_minor"],
        4_900
    );
    assert_eq!(
        managed["variants"][0]["list_price"]["amount_minor"],
        detail["variants"][0]["list_price"]["amount_minor"]
    );
    assert_problem(
        put_auth(
            &app,
            &path,
            &clinic_admin,
            json!({ "price": { "amount_minor": 4_900, "currency": "USD" } }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &path,
            &clinic_admin,
            json!({ "price": { "amount_minor": -1, "currency": "ZAR" } }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        put_auth(&app, &path, &clinic_admin, json!({ "price": null }))
            .await
            .status(),
        204
    );
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Cetirizine")["from_price"]["amount_minor"],
        5_900
    );

    // Another clinic's selection, an unknown product, and a patient: refused.
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let other = ok(
        app.post_auth(
            "/api/v1/admin/organisations",
            &admin,
            json!({ "kind": "clinic", "name": "Other Clinic", "slug": "other-clinic" }),
        )
        .await,
        201,
    )
    .await;
    let other = other["id"].as_str().unwrap();
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{other}/products/{id}"),
            &clinic_admin,
            json!({ "sells": true }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.get_auth(
            &format!("/api/v1/catalogue/products?clinic_id={other}"),
            &clinic_admin,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{clinic}/products/{}", uuid::Uuid::new_v4()),
            &clinic_admin,
            json!({ "sells": true }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{clinic}/products/{id}"),
            &patient,
            json!({ "sells": true }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    // The platform admin may manage any clinic.
    assert_eq!(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{other}/products/{id}"),
            &admin,
            json!({ "sells": true })
        )
        .await
        .status(),
        204
    );
}

async fn import(app: &TestApp, session: &Value, mode: &str, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/admin/products/import?mode={mode}")))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_csv_import_is_all_or_nothing_unless_asked_for_the_valid_rows() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let header = "name,category,dosage_form,strength,schedule,requires_prescription,requires_consult,consult_fee_minor,consult_fee_currency,ingredients,description,sku,variant_strength,pack_size,price_minor,currency\n";
    let good = "Metformin 500 mg tablets,heart-health,tablet,500 mg,S3,yes,,30000,ZAR,Metformin,For type 2 diabetes,MET-500-28,500 mg,28,4500,ZAR\n\
                Metformin 500 mg tablets,heart-health,tablet,500 mg,S3,yes,,30000,ZAR,Metformin,For type 2 diabetes,MET-500-56,500 mg,56,8500,ZAR\n\
                \"Loratadine 10 mg, tablets\",allergy,tablet,10 mg,S1,no,no,,,Loratadine,Hay fever,LOR-10-30,,30,4900,ZAR\n";
    let bad = "Bad product,no-such-category,tablet,,S4,no,,,,,,PCM-500-24,,0,-5,zar\n";
    let file = format!("{header}{good}{bad}");

    let body = assert_problem(
        import(&app, &admin, "all", &file).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "lines[5].category",
            "lines[5].requires_prescription",
            "lines[5].sku",
            "lines[5].pack_size",
            "lines[5].currency"
        ],
        "{body}"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(count, 10, "nothing imported");

    let report = ok(import(&app, &admin, "valid_rows", &file).await, 200).await;
    assert_eq!(report["products_created"], 2);
    assert_eq!(report["variants_created"], 3);
    assert_eq!(report["problems"].as_array().unwrap().len(), 5);
    let skus: Vec<String> = sqlx::query_scalar(
        "SELECT sku FROM product_variants WHERE sku LIKE 'MET%' OR sku LIKE 'LOR%' ORDER BY sku",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(skus, ["LOR-10-30", "MET-500-28", "MET-500-56"]);

    // The same file again: every product exists now.
    let body = assert_problem(
        import(&app, &admin, "all", &format!("{header}{good}")).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["message"].as_str().unwrap().contains("exists already")),
        "{body}"
    );
    // Not CSV, no header, unknown mode, not an admin.
    let res = app
        .client
        .post(app.url("/api/v1/admin/products/import"))
        .bearer_auth(admin["access_token"].as_str().unwrap())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    assert_problem(
        import(&app, &admin, "all", "name,sku\nX,Y\n").await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        import(&app, &admin, "some", &file).await,
        400,
        "INVALID_QUERY",
    )
    .await;
    let clinic_admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    assert_problem(
        import(&app, &clinic_admin, "all", &file).await,
        403,
        "FORBIDDEN",
    )
    .await;
}

async fn upload(
    app: &TestApp,
    session: &Value,
    product: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/admin/products/{product}/images")))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn product_images_are_type_checked_stored_and_served() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let pcm = product(&catalogue(&app, &patient).await, "Paracetamol").clone();
    let id = pcm["id"].as_str().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[7; 100]);

    let image = ok(
        upload(&app, &admin, id, "image/png", png.clone()).await,
        201,
    )
    .await;
    let url = image["url"].as_str().unwrap();
    let served = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(
        served.headers()["cache-control"],
        "public, max-age=31536000, immutable",
        "a route's own caching beats the API's no-store"
    );
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Paracetamol")["images"],
        json!([{ "id": image["id"], "url": url }])
    );

    // A GIF, a "PNG" that is really a script, too big, a patient, an unknown product.
    assert_problem(
        upload(&app, &admin, id, "image/gif", b"GIF89a....".to_vec()).await,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    assert_problem(
        upload(
            &app,
            &admin,
            id,
            "image/png",
            b"<script>alert(1)</script>".to_vec(),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let mut huge = png.clone();
    huge.resize(2 * 1024 * 1024, 0);
    assert_eq!(
        upload(&app, &admin, id, "image/png", huge).await.status(),
        413
    );
    assert_problem(
        upload(&app, &patient, id, "image/png", png.clone()).await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_problem(
        upload(
            &app,
            &admin,
            &uuid::Uuid::new_v4().to_string(),
            "image/png",
            png,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;

    let image_id = image["id"].as_str().unwrap();
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/admin/products/{id}/images/{image_id}")))
        .bearer_auth(admin["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(
        app.client.get(app.url(url)).send().await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
}

#[tokio::test]
async fn a_doctors_own_price_is_what_their_patients_pay() {
    let app = spawn_app().await;
    app.seed().await;
    let doctor = app.login(DOCTOR, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let clinic = doctor["user"]["memberships"][0]["organisation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pcm = product(&catalogue(&app, &patient).await, "Paracetamol").clone();
    let detail = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products/{}", pcm["id"].as_str().unwrap()),
            &doctor,
        )
        .await,
        200,
    )
    .await;
    let variant = detail["variants"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/me/prices/{variant}");
    let res = put_auth(
        &app,
        &path,
        &doctor,
        json!({ "clinic_id": clinic, "price": { "amount_minor": 1_900, "currency": "ZAR" } }),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Paracetamol")["from_price"]["amount_minor"],
        1_900,
        "doctor beats clinic"
    );
    let mine = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products/{}", pcm["id"].as_str().unwrap()),
            &doctor,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(mine["variants"][0]["own_price"]["amount_minor"], 1_900);
    let theirs = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products/{}", pcm["id"].as_str().unwrap()),
            &patient,
        )
        .await,
        200,
    )
    .await;
    assert!(
        theirs["variants"][0].get("own_price").is_none()
            && theirs["variants"][0].get("clinic_price").is_none(),
        "patients see only what they pay"
    );
    assert_problem(
        put_auth(
            &app,
            &path,
            &doctor,
            json!({ "clinic_id": uuid::Uuid::new_v4(), "price": null }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &path,
            &patient,
            json!({ "clinic_id": clinic, "price": null }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(
        put_auth(
            &app,
            &path,
            &doctor,
            json!({ "clinic_id": clinic, "price": null })
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Paracetamol")["from_price"]["amount_minor"],
        2_500
    );
}

#[tokio::test]
async fn flags_categories_and_clinic_questionnaires_are_administered() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let categories = ok(
        app.get_auth("/api/v1/catalogue/categories", &patient).await,
        200,
    )
    .await;
    assert_eq!(categories.as_array().unwrap().len(), 6);

    let flag = json!({ "code": "heavy_drinker", "label": "Drinks more than 14 units a week" });
    ok(
        app.post_auth("/api/v1/admin/flags", &admin, flag.clone())
            .await,
        201,
    )
    .await;
    assert_problem(
        app.post_auth("/api/v1/admin/flags", &admin, flag).await,
        409,
        "FLAG_EXISTS",
    )
    .await;
    assert_problem(
        app.post_auth(
            "/api/v1/admin/flags",
            &admin,
            json!({ "code": "Bad Code", "label": "x" }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/admin/flags", &patient).await,
        403,
        "FORBIDDEN",
    )
    .await;
    let flags = ok(app.get_auth("/api/v1/admin/flags", &admin).await, 200).await;
    assert_eq!(flags.as_array().unwrap().len(), 8);

    // A clinic's own questionnaire replaces the platform one for its patients once published,
    // and its draft can be edited until then.
    let clinic = patient["user"]["memberships"][0]["organisation_id"].clone();
    let definition = json!({ "questions": [
        { "key": "alcohol_units", "label": "Units of alcohol a week?", "kind": { "type": "number", "unit": "units", "min": 0.0, "max": 200.0 }, "required": true } ] });
    let mappings = json!([{ "flag": "heavy_drinker", "all": [ { "question": "alcohol_units", "test": { "type": "number_above", "threshold": 14.0 } } ] }]);
    let draft = ok(app.post_auth("/api/v1/admin/questionnaires", &admin,
        json!({ "name": "Demo Clinic intake", "clinic_id": clinic, "definition": definition, "mappings": mappings })).await, 201).await;
    assert_eq!(
        (draft["version"].as_i64(), draft["status"].as_str()),
        (Some(1), Some("draft"))
    );
    let id = draft["id"].as_str().unwrap();
    let mut edited = json!({ "definition": definition, "mappings": mappings });
    edited["definition"]["questions"][0]["label"] =
        json!("How many units of alcohol do you drink a week?");
    let saved = ok(
        put_auth(
            &app,
            &format!("/api/v1/admin/questionnaire-versions/{id}"),
            &admin,
            edited,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        saved["definition"]["questions"][0]["label"],
        "How many units of alcohol do you drink a week?"
    );
    let bad = json!({ "definition": { "questions": [] }, "mappings": [] });
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/admin/questionnaire-versions/{id}"),
            &admin,
            bad,
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        ok(
            app.get_auth("/api/v1/me/questionnaire", &patient).await,
            200
        )
        .await["name"],
        "Medical history"
    );
    ok(
        app.post_auth(
            &format!("/api/v1/admin/questionnaire-versions/{id}/publish"),
            &admin,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let q = ok(
        app.get_auth("/api/v1/me/questionnaire", &patient).await,
        200,
    )
    .await;
    assert_eq!(q["name"], "Demo Clinic intake");
    let profile = ok(app.post_auth("/api/v1/me/questionnaire/submit", &patient,
        json!({ "version_id": q["version_id"], "answers": { "alcohol_units": { "type": "number", "value": 20 } } })).await, 200).await;
    assert_eq!(profile["flags"][0]["code"], "heavy_drinker");
    assert_problem(app.post_auth("/api/v1/admin/questionnaires", &admin,
        json!({ "name": "X", "clinic_id": uuid::Uuid::new_v4(), "definition": definition, "mappings": [] })).await, 409, "UNKNOWN_CLINIC").await;
}

#[tokio::test]
async fn an_admin_edits_deactivates_and_reprices_products() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let ctz = product(&catalogue(&app, &patient).await, "Cetirizine").clone();
    let id = ctz["id"].as_str().unwrap();
    let mut change = json!({
        "name": "Cetirizine 10 mg film-coated tablets", "category": "allergy", "dosage_form": "tablet",
        "strength": "10 mg", "schedule": "S1", "requires_prescription": false, "consult_fee": null,
        "description": "A non-drowsy antihistamine.", "ingredients": ["Cetirizine"], "active": true });
    let detail = ok(
        put_auth(
            &app,
            &format!("/api/v1/admin/products/{id}"),
            &admin,
            change.clone(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        detail["product"]["name"],
        "Cetirizine 10 mg film-coated tablets"
    );

    // A variant's list price and then the product's active flag.
    let variant = detail["variants"][0]["id"].as_str().unwrap();
    let res = put_auth(&app, &format!("/api/v1/admin/variants/{variant}"), &admin,
        json!({ "strength": "10 mg", "pack_size": 30, "price": { "amount_minor": 6_500, "currency": "ZAR" }, "active": true })).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Cetirizine")["from_price"]["amount_minor"],
        6_500
    );
    change["active"] = json!(false);
    ok(
        put_auth(
            &app,
            &format!("/api/v1/admin/products/{id}"),
            &admin,
            change.clone(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        catalogue(&app, &patient).await["items"]
            .as_array()
            .unwrap()
            .len(),
        9,
        "inactive products leave the shop"
    );
    assert_problem(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &patient)
            .await,
        404,
        "NOT_FOUND",
    )
    .await;

    // Hostile: S4 without prescription, unknown category, unknown ids, bad price, not an admin.
    let mut bad = change.clone();
    bad["schedule"] = json!("S4");
    bad["category"] = json!("nope");
    let body = assert_problem(
        put_auth(&app, &format!("/api/v1/admin/products/{id}"), &admin, bad).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["requires_prescription", "category"]);
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/admin/products/{}", uuid::Uuid::new_v4()),
            &admin,
            change.clone(),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(put_auth(&app, &format!("/api/v1/admin/variants/{}", uuid::Uuid::new_v4()), &admin,
        json!({ "pack_size": 1, "price": { "amount_minor": 1, "currency": "ZAR" }, "active": true })).await, 404, "NOT_FOUND").await;
    assert_problem(put_auth(&app, &format!("/api/v1/admin/variants/{variant}"), &admin,
        json!({ "pack_size": 0, "price": { "amount_minor": 1, "currency": "ZAR" }, "active": true })).await, 422, "VALIDATION_FAILED").await;
    // Another currency while a clinic prices the variant in rand: refused, nothing changed.
    let clinic_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'clinic' LIMIT 1")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    sqlx::query("INSERT INTO clinic_variant_prices (clinic_id, variant_id, price_minor, currency) VALUES ($1, $2::uuid, 6000, 'ZAR')")
        .bind(clinic_id)
        .bind(variant)
        .execute(&app.owner)
        .await
        .unwrap();
    let body = assert_problem(put_auth(&app, &format!("/api/v1/admin/variants/{variant}"), &admin,
        json!({ "strength": "10 mg", "pack_size": 30, "price": { "amount_minor": 650, "currency": "USD" }, "active": true })).await, 409, "OVERRIDES_IN_CURRENCY").await;
    assert_eq!(body["errors"][0]["field"], "price");
    let currency: String =
        sqlx::query_scalar("SELECT currency FROM product_variants WHERE id = $1::uuid")
            .bind(variant)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(currency, "ZAR");
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/admin/products/{id}"),
            &patient,
            change,
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;

    let created = ok(
        app.post_auth(
            "/api/v1/admin/categories",
            &admin,
            json!({ "slug": "skin-care", "name": "Skin care" }),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["slug"], "skin-care");
    let taken = assert_problem(
        app.post_auth(
            "/api/v1/admin/categories",
            &admin,
            json!({ "slug": "skin-care", "name": "Again" }),
        )
        .await,
        409,
        "SLUG_TAKEN",
    )
    .await;
    // The conflict names the field it is about, so a form can say it there.
    assert_eq!(
        taken["errors"],
        json!([{ "field": "slug", "code": "slug_taken", "message": "Another category has that address." }])
    );
    assert_problem(
        app.post_auth(
            "/api/v1/admin/categories",
            &admin,
            json!({ "slug": "Skin Care", "name": "x" }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}

#[tokio::test]
async fn an_admin_changes_ingredients_and_adds_variants_all_or_nothing() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let ctz = product(&catalogue(&app, &patient).await, "Cetirizine").clone();
    assert_eq!(ctz["eligibility"]["verdict"], "eligible");
    let id = ctz["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/products/{id}");
    let change = |ingredients: Value| {
        json!({ "name": "Cetirizine 10 mg tablets", "category": "allergy", "dosage_form": "tablet",
            "strength": "10 mg", "schedule": "S1", "requires_prescription": false, "consult_fee": null,
            "description": "An antihistamine.", "ingredients": ingredients, "active": true })
    };

    // The demo patient is allergic to penicillin: an amoxicillin rule applies to the product at
    // once when the ingredient is added, and stops applying when it is removed.
    let detail = ok(
        put_auth(
            &app,
            &path,
            &admin,
            change(json!(["Cetirizine", " amoxicillin ", "Amoxicillin"])),
        )
        .await,
        200,
    )
    .await;
    let names: Vec<&str> = detail["product"]["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Amoxicillin", "Cetirizine"],
        "known names are reused, repeats dropped"
    );
    let blocked = product(&catalogue(&app, &patient).await, "Cetirizine").clone();
    assert_eq!(blocked["eligibility"]["verdict"], "blocked");
    ok(
        put_auth(
            &app,
            &path,
            &admin,
            change(json!(["Cetirizine", "Levocetirizine"])),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        product(&catalogue(&app, &patient).await, "Cetirizine")["eligibility"]["verdict"],
        "eligible"
    );
    let too_long = "x".repeat(121);
    assert_problem(
        put_auth(&app, &path, &admin, change(json!([too_long]))).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;

    // New variants: all or none.
    let variants = format!("/api/v1/admin/products/{id}/variants");
    let added = ok(
        app.post_auth(&variants, &admin, json!({ "variants": [
            { "sku": "CTZ-10-90", "strength": "10 mg", "pack_size": 90, "price": { "amount_minor": 14_900, "currency": "ZAR" } }
        ] }))
        .await,
        201,
    )
    .await;
    let count = added["variants"].as_array().unwrap().len();
    assert!(
        added["variants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["sku"] == "CTZ-10-90" && v["pack_size"] == 90)
    );
    assert_problem(
        app.post_auth(&variants, &admin, json!({ "variants": [
            { "sku": "CTZ-10-120", "strength": "10 mg", "pack_size": 120, "price": { "amount_minor": 18_000, "currency": "ZAR" } },
            { "sku": "CTZ-10-90", "strength": "10 mg", "pack_size": 90, "price": { "amount_minor": 1, "currency": "ZAR" } }
        ] }))
        .await,
        409,
        "SKU_TAKEN",
    )
    .await;
    let after = ok(
        app.get_auth(&format!("/api/v1/catalogue/products/{id}"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(
        after["variants"].as_array().unwrap().len(),
        count,
        "nothing half-written"
    );
    assert_problem(
        app.post_auth(
            &variants,
            &admin,
            json!({ "variants": [
            { "sku": "bad sku!", "pack_size": 1, "price": { "amount_minor": 1, "currency": "XXX" } }
        ] }),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.post_auth(&variants, &admin, json!({ "variants": [] }))
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_problem(
        app.post_auth(
            &format!("/api/v1/admin/products/{}/variants", uuid::Uuid::new_v4()),
            &admin,
            json!({ "variants": [ { "sku": "NEW-1", "pack_size": 1, "price": { "amount_minor": 1, "currency": "ZAR" } } ] }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.post_auth(&variants, &patient, json!({ "variants": [ { "sku": "NEW-2", "pack_size": 1, "price": { "amount_minor": 1, "currency": "ZAR" } } ] }))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
}

#[tokio::test]
async fn search_finds_products_by_ingredient_part_words_and_combined_names() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let clinic = patient["user"]["memberships"][0]["organisation_id"].clone();
    let search = |q: &'static str| {
        let (app, patient) = (&app, &patient);
        async move {
            let page = ok(
                app.get_auth(&format!("/api/v1/catalogue/products?q={q}"), patient)
                    .await,
                200,
            )
            .await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // A brand-named product is found by its active ingredient, whole or in part.
    let created = ok(
        app.post_auth("/api/v1/admin/products", &admin, json!({
            "name": "Brandex 10 mg tablets", "category": "allergy", "dosage_form": "tablet",
            "strength": "10 mg", "schedule": "S1", "requires_prescription": false, "consult_fee": null,
            "ingredients": ["Zolpidemix"], "clinic_ids": [clinic],
            "variants": [{ "sku": "BRX-10-30", "pack_size": 30, "price": { "amount_minor": 5000, "currency": "ZAR" } }] }))
        .await,
        201,
    )
    .await;
    assert_eq!(search("zolpidemix").await, ["Brandex 10 mg tablets"]);
    assert_eq!(search("zolpid").await, ["Brandex 10 mg tablets"]);
    // …and stops being found by it when the ingredient is changed.
    let id = created["product"]["id"].as_str().unwrap();
    ok(
        put_auth(
            &app,
            &format!("/api/v1/admin/products/{id}"),
            &admin,
            json!({
        "name": "Brandex 10 mg tablets", "category": "allergy", "dosage_form": "tablet",
        "strength": "10 mg", "schedule": "S1", "requires_prescription": false, "consult_fee": null,
        "description": "", "ingredients": ["Loratadinex"], "active": true }),
        )
        .await,
        200,
    )
    .await;
    assert!(search("zolpidemix").await.is_empty());
    assert_eq!(search("loratadinex").await, ["Brandex 10 mg tablets"]);
    // Each half of a combined name is a word of its own (plurals and stems included).
    assert_eq!(
        search("levonorgestrel").await,
        ["Ethinylestradiol/Levonorgestrel 30/150 tablets"]
    );
    assert_eq!(
        search("ethinylestradiol%20tablet").await,
        ["Ethinylestradiol/Levonorgestrel 30/150 tablets"]
    );
    // `%` and `_` are letters to search for, not wildcards.
    assert!(search("%25").await.is_empty());
    assert!(search("_").await.is_empty());
}

#[tokio::test]
async fn a_doctor_who_also_runs_the_clinic_sees_only_their_own_patients_charts() {
    let app = spawn_app().await;
    app.seed().await;
    // The demo doctor also becomes the demo clinic's admin: that lets them see the clinic's
    // members, but a member is not their patient.
    sqlx::query(
        "INSERT INTO memberships (id, user_id, organisation_id, role)
         SELECT gen_random_uuid(), u.id, m.organisation_id, 'clinic_admin'
           FROM users u JOIN memberships m ON m.user_id = u.id AND m.role = 'doctor'
          WHERE u.email = $1",
    )
    .bind(DOCTOR)
    .execute(&app.owner)
    .await
    .unwrap();
    let member: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'clinic.admin@rxgate.test'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let doctor = app.login(DOCTOR, DEMO_PASSWORD).await;
    assert!(
        doctor["user"]["roles"]
            .as_array()
            .unwrap()
            .contains(&json!("clinic_admin"))
    );
    assert_problem(
        app.get_auth(
            &format!("/api/v1/patients/{member}/health-profile"),
            &doctor,
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        app.post_auth(&format!("/api/v1/patients/{member}/flag-overrides"), &doctor,
            json!({ "flag": "hx_mtc", "raised": true, "reason": "Not my patient at all, should be refused." }))
            .await,
        404,
        "NOT_FOUND",
    )
    .await;
    // Their own patient's chart still opens.
    let patient: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(PATIENT)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    ok(
        app.get_auth(
            &format!("/api/v1/patients/{patient}/health-profile"),
            &doctor,
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn what_someone_may_do_in_a_clinic_depends_on_their_role_there() {
    let app = spawn_app().await;
    app.seed().await;
    // Another clinic, where the demo clinic's admin and the demo doctor are only patients.
    let other: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO organisations (id, kind, name, slug)
         VALUES (gen_random_uuid(), 'clinic', 'Other Clinic', 'other-clinic') RETURNING id",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    for email in ["clinic.admin@rxgate.test", DOCTOR] {
        sqlx::query(
            "INSERT INTO memberships (id, user_id, organisation_id, role)
             SELECT gen_random_uuid(), id, $2, 'patient' FROM users WHERE email = $1",
        )
        .bind(email)
        .bind(other)
        .execute(&app.owner)
        .await
        .unwrap();
    }
    let clinic_admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let doctor = app.login(DOCTOR, DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let product_id = product(&catalogue(&app, &patient).await, "Paracetamol")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = ok(
        app.get_auth(
            &format!("/api/v1/catalogue/products/{product_id}"),
            &patient,
        )
        .await,
        200,
    )
    .await;
    let variant = detail["variants"][0]["id"].as_str().unwrap().to_owned();

    // A patient there is not its admin: its selection and prices are 404 to them.
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{other}/products/{product_id}"),
            &clinic_admin,
            json!({ "sells": true }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/clinics/{other}/prices/{variant}"),
            &clinic_admin,
            json!({ "price": { "amount_minor": 1, "currency": "ZAR" } }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    // …nor a doctor who sets prices for their patients there.
    assert_problem(
        put_auth(
            &app,
            &format!("/api/v1/me/prices/{variant}"),
            &doctor,
            json!({ "clinic_id": other, "price": { "amount_minor": 1, "currency": "ZAR" } }),
        )
        .await,
        404,
        "NOT_FOUND",
    )
    .await;
    // In the clinic they run, nothing changed.
    let own = doctor["user"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "doctor")
        .unwrap()["organisation_id"]
        .clone();
    assert_eq!(
        put_auth(
            &app,
            &format!("/api/v1/me/prices/{variant}"),
            &doctor,
            json!({ "clinic_id": own, "price": null }),
        )
        .await
        .status(),
        204
    );
}

#[tokio::test]
async fn an_import_of_valid_rows_reports_rows_the_database_would_refuse() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let header = "name,category,dosage_form,strength,schedule,requires_prescription,requires_consult,consult_fee_minor,consult_fee_currency,ingredients,description,sku,variant_strength,pack_size,price_minor,currency\n";
    let long = "x".repeat(81);
    let file = format!(
        "{header}\
         Zinc 10 mg tablets,allergy,tablet,10 mg,S0,no,,,,Zinc,Fine,ZNC-10-30,,30,3000,ZAR\n\
         zinc 10 MG tablets,allergy,tablet,10 mg,S0,no,,,,Zinc,Same address,ZNC-10-60,,60,5000,ZAR\n\
         Iron tablets,allergy,tablet,{long},S0,no,,,,Iron,Too strong,FE-1,,30,3000,ZAR\n\
         Folic acid tablets,allergy,tablet,5 mg,S0,no,,,,Folic acid,Fine,FA-5-30,{long},30,3000,ZAR\n"
    );
    let report = ok(import(&app, &admin, "valid_rows", &file).await, 200).await;
    assert_eq!(report["products_created"], 1, "{report}");
    let problems: Vec<(u64, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["line"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [(3, "name"), (4, "strength"), (5, "variant_strength")],
        "{report}"
    );
}

#[tokio::test]
async fn a_product_for_an_unknown_clinic_names_the_field_and_is_not_created() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let products = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM products")
            .fetch_one(&app.owner)
            .await
            .unwrap()
    };
    let before = products().await;
    let product = json!({
        "name": "Orlistat 120 mg capsules", "category": "weight-management", "dosage_form": "capsule",
        "strength": "120 mg", "schedule": "S4", "requires_prescription": true,
        "ingredients": ["Orlistat"], "clinic_ids": [uuid::Uuid::now_v7()],
        "variants": [{ "sku": "orl-120-84", "pack_size": 84, "price": { "amount_minor": 69900, "currency": "ZAR" } }]
    });
    let body = assert_problem(
        app.post_auth("/api/v1/admin/products", &admin, product)
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "clinic_ids[0]", "{body}");
    assert_eq!(body["errors"][0]["code"], "unknown_clinic", "{body}");
    assert_eq!(products().await, before, "nothing was created");
}

async fn delete_auth(app: &TestApp, path: &str, session: &Value) -> reqwest::Response {
    app.client
        .delete(app.url(path))
        .bearer_auth(session["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
}

async fn category_name(app: &TestApp, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT name FROM categories WHERE id = $1::uuid")
        .bind(id)
        .fetch_optional(&app.owner)
        .await
        .unwrap()
}

async fn category_events(app: &TestApp, id: &str, action: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE entity_type = 'category' AND entity_id = $1 AND action = $2",
    )
    .bind(id)
    .bind(action)
    .fetch_one(&app.owner)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_admin_renames_and_deletes_categories_and_nobody_else_can() {
    let app = spawn_app().await;
    app.seed().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let clinic_admin = app.login("clinic.admin@rxgate.test", DEMO_PASSWORD).await;
    let patient = app.login(PATIENT, DEMO_PASSWORD).await;
    let created = ok(
        app.post_auth(
            "/api/v1/admin/categories",
            &admin,
            json!({ "slug": "skin-care", "name": "Skin care" }),
        )
        .await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/admin/categories/{id}");

    // Hostile: other roles are refused and nothing changes or is deleted.
    for session in [&clinic_admin, &patient] {
        assert_problem(
            put_auth(&app, &path, session, json!({ "name": "Hacked" })).await,
            403,
            "FORBIDDEN",
        )
        .await;
        assert_problem(delete_auth(&app, &path, session).await, 403, "FORBIDDEN").await;
    }
    assert_eq!(category_name(&app, &id).await.as_deref(), Some("Skin care"));
    assert_eq!(category_events(&app, &id, "update").await, 0);

    // No such category (or not an id at all): 404, and nothing else changes.
    let missing = "/api/v1/admin/categories/00000000-0000-7000-8000-000000000000";
    assert_problem(
        put_auth(&app, missing, &admin, json!({ "name": "Nothing" })).await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(delete_auth(&app, missing, &admin).await, 404, "NOT_FOUND").await;
    assert_problem(
        delete_auth(&app, "/api/v1/admin/categories/not-an-id", &admin).await,
        404,
        "NOT_FOUND",
    )
    .await;
    let blank = assert_problem(
        put_auth(&app, &path, &admin, json!({ "name": "   " })).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(blank["errors"][0]["field"], "name");
    assert_eq!(category_name(&app, &id).await.as_deref(), Some("Skin care"));

    // Rename: the slug stays; the change is audited with before and after.
    let renamed = ok(
        put_auth(&app, &path, &admin, json!({ "name": "  Skin and hair " })).await,
        200,
    )
    .await;
    assert_eq!(
        renamed,
        json!({ "id": id, "slug": "skin-care", "name": "Skin and hair" })
    );
    let listed = ok(
        app.get_auth("/api/v1/catalogue/categories", &patient).await,
        200,
    )
    .await;
    assert!(listed.as_array().unwrap().contains(&renamed), "{listed}");
    let details: Value = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE entity_type = 'category' AND entity_id = $1 AND action = 'update'",
    )
    .bind(&id)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        details,
        json!({ "before": { "name": "Skin care" }, "after": { "name": "Skin and hair" } })
    );

    // A category that products are in stays, with a stable code saying why.
    let allergy = ok(
        app.get_auth("/api/v1/catalogue/categories", &admin).await,
        200,
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .find(|c| c["slug"] == "allergy")
    .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let in_use = assert_problem(
        delete_auth(&app, &format!("/api/v1/admin/categories/{allergy}"), &admin).await,
        409,
        "CATEGORY_IN_USE",
    )
    .await;
    assert!(
        in_use["detail"]
            .as_str()
            .unwrap()
            .contains("in this category")
    );
    assert!(category_name(&app, &allergy).await.is_some());
    assert_eq!(category_events(&app, &allergy, "delete").await, 0);

    // An empty category is deleted, audited, and gone from the list.
    let res = delete_auth(&app, &path, &admin).await;
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(category_name(&app, &id).await, None);
    assert_eq!(category_events(&app, &id, "delete").await, 1);
    assert_problem(delete_auth(&app, &path, &admin).await, 404, "NOT_FOUND").await;
}
