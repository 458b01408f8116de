//! Builds the application: binds the listener, assembles middleware and routes, starts the
//! in-process job worker. `Application::build` with port 0 is what the tests spawn.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Compress, Condition, DefaultHeaders, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::TimeDelta;
use rxgate_app::mailbox::LocalMailbox;
use rxgate_integrations::email::{MailError, Mailer, SmtpMailer};
use rxgate_persistence::Db;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::JwtKeys;
use crate::configuration::{EmailTransport, Environment, Settings};
use crate::crypto::DataKeys;
use crate::extract;
use crate::jobs::{self, Registry, Worker, WorkerConfig};
use crate::metrics::Metrics;
use crate::middleware::{observe::observe, problem::problem_json, request_id::request_id};
use crate::spa::{self, SpaIndex};
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database settings: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot bind the listener: {0}")]
    Io(#[from] std::io::Error),
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("email: {0}")]
    Email(#[from] MailError),
    #[error("email.transport = \"smtp\" needs an [email.smtp] section")]
    MissingSmtp,
    #[error(transparent)]
    Keys(#[from] crate::auth::keys::KeyError),
    #[error(transparent)]
    RelyingParty(#[from] crate::auth::passkeys::RelyingPartyError),
    #[error(transparent)]
    DataKeys(#[from] crate::crypto::CryptoError),
    #[error("storage: {0}")]
    Storage(String),
}

/// The handlers every worker process runs.
pub fn job_registry(settings: &Settings, db: &Db) -> Result<Registry, StartupError> {
    let mailer: Arc<dyn Mailer> = match settings.email.transport {
        EmailTransport::Local => Arc::new(LocalMailbox::new(db.clone())),
        EmailTransport::Smtp => Arc::new(SmtpMailer::new(
            settings
                .email
                .smtp
                .as_ref()
                .ok_or(StartupError::MissingSmtp)?,
        )?),
    };
    let keys = Arc::new(JwtKeys::from_settings(&settings.auth)?);
    let gateways = rxgate_app::payments::gateways(settings, db);
    let mut registry = Registry::default().with(jobs::payments::RefundPayment::new(
        db.clone(),
        gateways.clone(),
    ));
    if let Some(sandbox) = gateways.sandbox {
        registry = registry.with(jobs::payments::DeliverSandboxWebhook::new(
            sandbox,
            rxgate_app::payments::sandbox_webhook_url(settings),
        ));
    }
    Ok(registry
        .with(jobs::email::SendEmail::new(mailer))
        .with(jobs::booking::ExpireHold::new(db.clone()))
        .with(jobs::booking::Remind::new(
            db.clone(),
            settings.application.public_url.clone(),
        ))
        .with(jobs::booking::OfferFreed::new(
            db.clone(),
            settings.application.public_url.clone(),
        ))
        .every(
            settings.audit.seal_interval_secs,
            jobs::maintenance::SealAudit::new(db.clone(), keys, settings.audit.seal_batch),
        )
        .every(3600, jobs::payments::PurgeIdempotencyKeys::new(db.clone()))
        .every(
            3600,
            jobs::maintenance::PurgeJobs::new(
                db.clone(),
                TimeDelta::hours(settings.jobs.retention_hours),
            ),
        ))
}

pub fn worker_config(settings: &Settings) -> WorkerConfig {
    WorkerConfig::new(
        settings.jobs.concurrency,
        Duration::from_millis(settings.jobs.poll_interval_ms),
        TimeDelta::seconds(settings.jobs.lease_secs),
    )
}

pub struct Application {
    port: u16,
    server: Server,
    worker: Option<JoinHandle<()>>,
    stop_worker: watch::Sender<bool>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = Db::connect_lazy(
            settings.database.connect_options()?,
            settings.database.max_connections,
        );
        Self::build_with_db(settings, db)
    }

    pub fn build_with_db(mut settings: Settings, db: Db) -> Result<Self, StartupError> {
        let listener = TcpListener::bind((
            settings.application.host.as_str(),
            settings.application.port,
        ))?;
        let port = listener.local_addr()?.port();
        // The sandbox delivers its webhooks to this very server unless told otherwise.
        if settings.payments.sandbox_webhook_url.is_none() {
            let host = match settings.application.host.as_str() {
                "0.0.0.0" | "::" | "[::]" => "127.0.0.1",
                host => host,
            };
            settings.payments.sandbox_webhook_url = Some(format!(
                "http://{host}:{port}/api/v1/payments/webhooks/sandbox"
            ));
        }
        let metrics = Arc::new(Metrics::new()?);

        let (stop_worker, stopped) = watch::channel(false);
        let worker = if settings.jobs.run_in_process {
            let worker = Worker::new(
                db.clone(),
                job_registry(&settings, &db)?,
                worker_config(&settings),
            )
            .with_metrics(metrics.clone());
            Some(tokio::spawn(worker.run(stopped)))
        } else {
            None
        };

        let keys = Arc::new(JwtKeys::from_settings(&settings.auth)?);
        let data_keys = Arc::new(DataKeys::from_settings(&settings.security)?);
        let webauthn = Arc::new(crate::auth::passkeys::relying_party(
            &settings.application.public_url,
        )?);
        let store = settings
            .storage
            .store(&settings.application.uploads_dir)
            .map_err(StartupError::Storage)?;
        let db_for_payments = db.clone();
        let signal = crate::signal::SignalHub::new(db.clone());
        tokio::spawn(signal.clone().run());
        let settings = Arc::new(settings);
        let state = web::Data::new(AppState {
            settings: settings.clone(),
            db,
            keys,
            data_keys,
            webauthn,
            store,
            payments: rxgate_app::payments::gateways(&settings, &db_for_payments),
            video: rxgate_app::consultations::video_provider(&settings.video),
            signal,
            trusted_proxies: Arc::new(crate::auth::meta::trusted_proxies(
                &settings.application.trusted_proxies,
            )),
        });
        let metrics_data = web::Data::from(metrics);
        // Collected once from the handlers' annotations (the same routes as registered below).
        let openapi = crate::openapi::document();
        let api_methods = web::Data::new(spa::ApiMethods::from_document(&openapi));
        let spa_dir = settings
            .application
            .spa_dir
            .clone()
            .filter(|d| d.join("index.html").is_file());
        if spa_dir.is_none() {
            tracing::warn!("no built SPA found (run `just spa`); serving the API only");
        }
        let spa_index = web::Data::new(SpaIndex(spa_dir.as_ref().map(|d| d.join("index.html"))));
        let body_limit = settings.application.body_limit_bytes;
        let mut origins = settings.application.cors_allowed_origins.clone();
        let cors_enabled = !origins.is_empty();
        if cors_enabled {
            origins.push(settings.application.public_url.clone());
        }
        let production = settings.environment == Environment::Production;
        let limit = |per_minute, burst| {
            crate::routes::auth_rate_limit(per_minute, burst).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "auth rate limits must be positive",
                )
            })
        };
        let auth_limit = crate::routes::AuthLimits {
            sign_in: limit(
                settings.auth.rate_limit_per_minute,
                settings.auth.rate_limit_burst,
            )?,
            refresh: limit(
                settings.auth.refresh_rate_limit_per_minute,
                settings.auth.refresh_rate_limit_burst,
            )?,
        };

        let mut server = HttpServer::new(move || {
            let cors = origins.iter().fold(
                Cors::default()
                    .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
                    .allowed_headers([
                        header::AUTHORIZATION,
                        header::CONTENT_TYPE,
                        header::ACCEPT,
                        header::HeaderName::from_static("idempotency-key"),
                        header::HeaderName::from_static("x-request-id"),
                    ])
                    .expose_headers([header::HeaderName::from_static("x-request-id")])
                    .supports_credentials()
                    .max_age(3600),
                |cors, origin| cors.allowed_origin(origin),
            );
            // The document's routes come first: `/api/v1/openapi.json` sits inside the
            // `/api/v1` prefix, and a matched scope never falls through to later services.
            let app = App::new()
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()),
                )
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(metrics_data.clone())
                .app_data(spa_index.clone())
                .app_data(api_methods.clone())
                .app_data(extract::json_config(body_limit))
                .app_data(extract::payload_config(body_limit))
                .app_data(extract::query_config())
                .app_data(extract::path_config())
                .service(
                    utoipa_actix_web::scope("/api/v1")
                        // API answers carry personal and clinical data: no cache keeps them,
                        // unless a route says otherwise (public images, the JWKS).
                        .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
                        .wrap(from_fn(crate::middleware::edge::check_input))
                        // Unknown paths and wrong methods: 404, or 405 with `Allow`.
                        .default_service(web::to(spa::fallback))
                        .configure(|cfg| crate::routes::configure(cfg, &auth_limit)),
                )
                .into_app();
            let mut app = app
                .route("/metrics", web::get().to(render_metrics))
                .route("/robots.txt", web::get().to(spa::robots));
            if let Some(dir) = &spa_dir {
                app =
                    app.service(
                        web::scope("/assets")
                            .wrap(DefaultHeaders::new().add((
                                header::CACHE_CONTROL,
                                "public, max-age=31536000, immutable",
                            )))
                            .app_data(web::Data::new(spa::SpaAssets(dir.join("assets"))))
                            .route("/{tail:.*}", web::get().to(spa::asset))
                            .route("/{tail:.*}", web::head().to(spa::asset))
                            .default_service(web::to(spa::fallback)),
                    );
            }
            app.default_service(web::to(spa::fallback))
                .wrap(Compress::default())
                .wrap(Condition::new(cors_enabled, cors))
                .wrap(security_headers(production))
                .wrap(from_fn(observe))
                .wrap(from_fn(problem_json))
                .wrap(from_fn(request_id))
        })
        .listen(listener)?
        .shutdown_timeout(settings.application.shutdown_timeout_secs);
        if let Some(n) = settings.application.http_workers {
            server = server.workers(n.max(1));
        }
        Ok(Self {
            port,
            server: server.run(),
            worker,
            stop_worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT/SIGTERM, lets in-flight requests finish, then stops the worker
    /// after its running jobs complete.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.stop_worker.send(true);
        if let Some(worker) = self.worker {
            let _ = worker.await;
        }
        result
    }
}

fn security_headers(production: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(self), microphone=(self), geolocation=(), payment=()",
        ))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
             connect-src 'self' ws: wss:; media-src 'self' blob:; font-src 'self' data:; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
        ));
    if production {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}

async fn render_metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render())
}
