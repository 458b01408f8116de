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

/// The build writes `x.br` (brotli 11) and `x.gz` (gzip -9) next to every asset; the server
/// sends the best one the request accepts, as it is, and never compresses an asset again.
#[tokio::test]
async fn assets_are_sent_precompressed_brotli_first_then_gzip_then_raw() {
    let dir = std::env::temp_dir().join(format!("rxgate-spa-{}", uuid::Uuid::new_v4().simple()));
    let assets = dir.join("assets/h1");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Rxgate</title>",
    )
    .unwrap();
    // Distinct bytes per file show which one was sent (the client decodes nothing).
    let raw_js = "export default 1;".repeat(100);
    std::fs::write(assets.join("app.js"), &raw_js).unwrap();
    std::fs::write(assets.join("app.js.br"), "brotli bytes").unwrap();
    std::fs::write(assets.join("app.js.gz"), "gzip bytes").unwrap();
    std::fs::write(assets.join("app_bg.wasm"), b"\0asm raw").unwrap();
    std::fs::write(assets.join("app_bg.wasm.br"), "wasm brotli").unwrap();
    let raw_css = "body{margin:0}".repeat(100);
    std::fs::write(assets.join("styles.css"), &raw_css).unwrap();
    std::fs::write(assets.join("styles.css.gz"), "css gzip").unwrap();
    let spa = dir.clone();
    let app = spawn_app_with(move |s| s.application.spa_dir = Some(spa)).await;

    let fetch = |path: &'static str, accept: Option<&'static str>| {
        let mut req = app.client.get(app.url(path));
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        req.send()
    };
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };

    // A browser: brotli.
    let res = fetch("/assets/h1/app.js", Some("gzip, deflate, br, zstd"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&res, "vary").as_deref(), Some("accept-encoding"));
    assert!(header(&res, "content-type").unwrap().contains("javascript"));
    assert!(header(&res, "cache-control").unwrap().contains("immutable"));
    assert_eq!(res.text().await.unwrap(), "brotli bytes");

    let res = fetch("/assets/h1/app_bg.wasm", Some("br")).await.unwrap();
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(res.text().await.unwrap(), "wasm brotli");

    // gzip only, or brotli refused with q=0: the .gz file.
    for accept in ["gzip", "br;q=0, gzip;q=0.5"] {
        let res = fetch("/assets/h1/app.js", Some(accept)).await.unwrap();
        assert_eq!(
            header(&res, "content-encoding").as_deref(),
            Some("gzip"),
            "{accept}"
        );
        assert_eq!(header(&res, "vary").as_deref(), Some("accept-encoding"));
        assert_eq!(res.text().await.unwrap(), "gzip bytes", "{accept}");
    }
    // Brotli allowed but not built for this file: the next one that exists.
    let res = fetch("/assets/h1/styles.css", Some("br, gzip"))
        .await
        .unwrap();
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    assert!(
        header(&res, "content-type")
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(res.text().await.unwrap(), "css gzip");

    // No coding accepted: the raw file, byte for byte.
    for accept in [None, Some("identity"), Some("gzip;q=0, br;q=0")] {
        let res = fetch("/assets/h1/app.js", accept).await.unwrap();
        assert_eq!(res.status(), 200);
        let coding = header(&res, "content-encoding");
        assert!(
            coding.is_none() || coding.as_deref() == Some("identity"),
            "{accept:?}"
        );
        assert_eq!(header(&res, "vary").as_deref(), Some("accept-encoding"));
        assert_eq!(res.text().await.unwrap(), raw_js, "{accept:?}");
    }
    // gzip accepted but no .gz: still the raw file, not gzip made on the fly.
    let res = fetch("/assets/h1/app_bg.wasm", Some("gzip")).await.unwrap();
    assert_ne!(header(&res, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"\0asm raw");

    assert_problem(
        fetch("/assets/h1/nope.js", Some("br")).await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    assert_problem(
        fetch("/assets/h1/..%2F..%2Findex.html", None)
            .await
            .unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    std::fs::remove_dir_all(dir).unwrap();
}
