//! `rxgate`: one binary for every process of a deployment.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rxgate_api::configuration::Environment;
use rxgate_api::startup::{job_registry, worker_config};
use rxgate_api::{Application, Settings, telemetry};
use rxgate_persistence::Db;

#[derive(Parser)]
#[command(
    name = "rxgate",
    version,
    about = "Prescription-gated telehealth commerce"
)]
struct Cli {
    /// Folder with base.toml and <environment>.toml.
    #[arg(
        long,
        env = "RXGATE_CONFIG_DIR",
        default_value = "config",
        global = true
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the SPA (and run job workers unless jobs.run_in_process = false).
    Serve,
    /// Run job workers only.
    Worker,
    /// Apply database migrations as the owner role.
    Migrate {
        /// Owner connection URL (not the application role's).
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: String,
        /// Also let the application role log in with this password.
        #[arg(long, env = "RXGATE_APP_DB_PASSWORD", hide_env_values = true)]
        app_role_password: Option<String>,
    },
    /// Load demo data (idempotent; refused in production).
    Seed,
    /// Re-seal every stored secret and clinical text sealed with a previous data key
    /// (`security.previous_data_keys`) under the current one, in batches.
    RotateKeys {
        /// Rows re-sealed per transaction.
        #[arg(long, default_value_t = 500)]
        batch: i64,
    },
    /// Print the current code of the demo staff accounts' second factor (local only).
    DemoTotp,
    /// Write the OpenAPI document.
    Openapi {
        #[arg(long, default_value = "openapi/openapi.json")]
        out: PathBuf,
        /// Fail instead of writing when the file differs.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("settings: {0}")]
    Settings(#[from] rxgate_api::configuration::SettingsError),
    #[error(transparent)]
    Startup(#[from] rxgate_api::startup::StartupError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Seed(#[from] rxgate_api::seed::SeedError),
    #[error("{0}")]
    Message(String),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "rxgate failed");
            eprintln!("rxgate: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Openapi { out, check } => openapi(&out, check),
        Command::Migrate {
            database_url,
            app_role_password,
        } => migrate(&database_url, app_role_password.as_deref()).await,
        Command::Serve => {
            let settings = Settings::load(&cli.config_dir)?;
            telemetry::init(&settings.log);
            let app = Application::build(settings).await?;
            tracing::info!(port = app.port(), "rxgate listening");
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Worker => {
            let settings = Settings::load(&cli.config_dir)?;
            telemetry::init(&settings.log);
            let db = Db::connect_lazy(
                settings.database.connect_options()?,
                settings.database.max_connections,
            );
            let registry = job_registry(&settings, &db)?;
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let worker = tokio::spawn(
                rxgate_api::jobs::Worker::new(db, registry, worker_config(&settings)).run(stopped),
            );
            shutdown_signal().await;
            tracing::info!("stopping: finishing running jobs");
            let _ = stop.send(true);
            worker.await.map_err(|e| CliError::Message(e.to_string()))?;
            Ok(())
        }
        Command::DemoTotp => {
            let settings = Settings::load(&cli.config_dir)?;
            if settings.environment == Environment::Production {
                return Err(CliError::Message(
                    "demo accounts do not exist in production".into(),
                ));
            }
            let code = rxgate_api::auth::totp::code_at(
                rxgate_api::seed::DEMO_TOTP_SECRET,
                chrono::Utc::now(),
            )
            .ok_or_else(|| CliError::Message("cannot compute the code".into()))?;
            // The code alone on stdout, for scripts.
            use std::io::Write;
            writeln!(std::io::stdout(), "{code}")?;
            Ok(())
        }
        Command::RotateKeys { batch } => {
            let settings = Settings::load(&cli.config_dir)?;
            telemetry::init(&settings.log);
            let keys = rxgate_api::crypto::DataKeys::from_settings(&settings.security)
                .map_err(|e| CliError::Message(e.to_string()))?;
            let db = Db::connect_lazy(settings.database.connect_options()?, 2);
            let report = rxgate_api::crypto::rotate_sealed(&db, &keys, batch)
                .await
                .map_err(|e| CliError::Message(e.to_string()))?;
            for (kind, count) in report {
                eprintln!("re-sealed {count} {kind} under key {}", keys.current_id());
            }
            Ok(())
        }
        Command::Seed => {
            let settings = Settings::load(&cli.config_dir)?;
            telemetry::init(&settings.log);
            if settings.environment == Environment::Production {
                return Err(CliError::Message(
                    "demo data is never loaded in production".into(),
                ));
            }
            let db = Db::connect_lazy(settings.database.connect_options()?, 2);
            rxgate_api::seed::run(&db, &settings).await?;
            eprintln!("demo data ready\n{}", rxgate_api::seed::accounts_banner());
            Ok(())
        }
    }
}

fn openapi(out: &std::path::Path, check: bool) -> Result<(), CliError> {
    let json =
        rxgate_api::openapi::document_json().map_err(|e| CliError::Message(e.to_string()))?;
    if check {
        let current = std::fs::read_to_string(out).unwrap_or_default();
        if current != json {
            return Err(CliError::Message(format!(
                "{} is out of date: run `just openapi`",
                out.display()
            )));
        }
        return Ok(());
    }
    std::fs::write(out, json)?;
    Ok(())
}

async fn migrate(url: &str, app_role_password: Option<&str>) -> Result<(), CliError> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    rxgate_persistence::MIGRATOR.run(&pool).await?;
    if let Some(password) = app_role_password {
        // ALTER ROLE takes no bind parameters: let the server quote the literal.
        let statement: String = sqlx::query_scalar(
            "SELECT format('ALTER ROLE rxgate_app LOGIN PASSWORD %L', $1::text)",
        )
        .bind(password)
        .fetch_one(&pool)
        .await?;
        sqlx::raw_sql(&statement).execute(&pool).await?;
    }
    pool.close().await;
    eprintln!("migrations applied");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = ctrl_c.await;
}
