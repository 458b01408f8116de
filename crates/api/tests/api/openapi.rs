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
