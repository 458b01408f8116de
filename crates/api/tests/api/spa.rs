//! The SPA is served by the API process with a fallback for client-side routes.
use crate::helpers::{assert_problem, spawn_app_with};

#[tokio::test]
async fn client_routes_get_index_html_and_assets_are_cached_forever() {
    let dir = std::env::temp_dir().join(format!("rxgate-spa-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets/abc123")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Rxgate</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/abc123/app.js"), "export default 1;").unwrap();
    let spa = dir.clone();
    let app = spawn_app_with(move |s| s.application.spa_dir = Some(spa)).await;

    for path in ["/", "/dev/mailbox", "/patient/orders/123"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache");
        assert!(res.text().await.unwrap().contains("<title>Rxgate</title>"));
    }

    let asset = app.get("/assets/abc123/app.js").await;
    assert_eq!(asset.status(), 200);
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    let compressed = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");

    assert_problem(app.get("/assets/abc123/missing.js").await, 404, "NOT_FOUND").await;
    assert_problem(app.get("/api/v1/nothing").await, 404, "NOT_FOUND").await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn robots_txt_is_a_robots_file_not_the_app() {
    let app = crate::helpers::spawn_app().await;
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = res.text().await.unwrap();
    assert!(text.starts_with("User-agent: *"), "{text}");
    assert!(text.contains("Disallow: /api/"), "{text}");
    assert!(!text.contains("<html"), "{text}");
}
