//! Rxgate's HTTP layer: the actix-web application, `/api/v1` routes (parse, call the
//! application layer, map), extractors, middleware, problem+json errors and the OpenAPI
//! document. Configuration, key rings, the job runtime and the seed live in `rxgate-app`;
//! they are re-exported here under their old paths.

pub mod audit;
pub mod auth;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod signal;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use rxgate_app::configuration::Settings;
pub use rxgate_app::{booking, configuration, crypto, emails, jobs, metrics, seed};
pub use startup::Application;
