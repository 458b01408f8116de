//! The committed OpenAPI document is what the code generates, and the server serves it.
use std::path::Path;

use crate::helpers::spawn_app;

#[test]
fn committed_openapi_document_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = rxgate_api::openapi::document_json().unwrap();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `just openapi` and commit the result"
    );
}

#[test]
fn every_operation_documents_its_responses_and_is_openapi_3_1() {
    let doc: serde_json::Value =
        serde_json::from_str(&rxgate_api::openapi::document_json().unwrap()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            assert!(op["tags"].is_array(), "{method} {path} has a tag");
        }
    }
}

/// The values of a property: its own `enum`, or that of the schema it refers to (directly, as
/// an array's items, or inside a nullable `oneOf`).
fn values_of(doc: &serde_json::Value, prop: &serde_json::Value) -> Option<Vec<String>> {
    if let Some(values) = prop["enum"].as_array() {
        return Some(
            values
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
        );
    }
    if let Some(reference) = prop["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return values_of(doc, &doc["components"]["schemas"][name]);
    }
    if prop["items"].is_object() {
        return values_of(doc, &prop["items"]);
    }
    prop["oneOf"]
        .as_array()
        .and_then(|alternatives| alternatives.iter().find_map(|a| values_of(doc, a)))
}

#[test]
fn closed_sets_of_values_are_enums_in_the_schema() {
    let doc: serde_json::Value =
        serde_json::from_str(&rxgate_api::openapi::document_json().unwrap()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let expect = [
        ("EligibilityView", "verdict", "needs_review"),
        ("TokenResponse", "mfa", "enrolment_required"),
        ("TokenResponse", "token_type", "Bearer"),
        ("MembershipView", "organisation_kind", "pharmacy"),
        ("MembershipView", "role", "clinic_admin"),
        ("Me", "roles", "patient"),
        ("Me", "doctor_status", "pending"),
        ("Me", "mfa_methods", "passkey"),
        ("DoctorApplication", "status", "suspended"),
        ("UserStatusView", "status", "active"),
        ("UserSummary", "status", "suspended"),
        ("UserSummary", "roles", "information_officer"),
        ("NewOrganisation", "kind", "clinic"),
        ("OrganisationView", "kind", "platform"),
        ("NewInvitation", "role", "pharmacist"),
        ("InvitationView", "status", "expired"),
        ("InvitationView", "role", "platform_admin"),
        ("InvitationAccepted", "role", "pharmacist"),
        ("AuditEventView", "risk", "high"),
        ("RuleView", "action", "warn"),
        ("RuleInput", "action", "block"),
        ("ProductSummary", "schedule", "S8"),
        ("NewProductInput", "schedule", "S0"),
        ("ProductUpdate", "schedule", "S4"),
        ("QuestionnaireForPatient", "state", "in_progress"),
        ("QuestionnaireVersionView", "status", "retired"),
        ("Health", "status", "ok"),
        ("Readiness", "status", "ready"),
        ("PlatformInfo", "environment", "production"),
    ];
    for (schema, field, value) in expect {
        let values = values_of(&doc, &schemas[schema]["properties"][field])
            .unwrap_or_else(|| panic!("{schema}.{field} has no enum"));
        assert!(
            values.iter().any(|v| v == value),
            "{schema}.{field}: {values:?}"
        );
    }
    // Query parameters too.
    let param = |path: &str, name: &str| -> Vec<String> {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let p = params.iter().find(|p| p["name"] == name).unwrap();
        values_of(&doc, &p["schema"]).unwrap_or_else(|| panic!("{path} {name} has no enum"))
    };
    assert_eq!(
        param("/api/v1/catalogue/products", "sort"),
        ["name", "price"]
    );
    assert_eq!(
        param("/api/v1/admin/rules", "action"),
        ["block", "review", "warn"]
    );
    assert_eq!(
        param("/api/v1/admin/users", "status"),
        ["active", "suspended"]
    );
    assert_eq!(param("/api/v1/admin/users", "role").len(), 6);
    assert_eq!(param("/api/v1/admin/doctors", "status").len(), 4);
}

#[test]
fn every_limit_is_bounded_as_the_server_enforces() {
    let doc: serde_json::Value =
        serde_json::from_str(&rxgate_api::openapi::document_json().unwrap()).unwrap();
    let mut limits = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "limit" {
                    limits += 1;
                    assert_eq!(p["schema"]["minimum"], 1, "{method} {path}");
                    assert_eq!(p["schema"]["maximum"], 200, "{method} {path}");
                }
            }
        }
    }
    assert!(limits >= 10, "{limits} lists");
}

#[tokio::test]
async fn the_document_and_the_docs_ui_are_served() {
    let app = spawn_app().await;
    let served: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert_eq!(served["info"]["title"], "Rxgate API");
    assert!(served["paths"]["/api/v1/health"].is_object());

    let ui = app.get("/api/docs/").await;
    assert_eq!(ui.status(), 200);
    let html = ui.text().await.unwrap();
    assert!(html.contains("swagger"), "docs UI page");
    assert!(
        !html.contains("https://"),
        "docs UI loads nothing from the internet"
    );
}
