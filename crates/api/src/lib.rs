//! Rxgate's HTTP layer: configuration, the actix-web application, `/api/v1` routes,
//! problem+json errors, the OpenAPI document and the background job worker.

pub mod audit;
pub mod auth;
pub mod configuration;
pub mod crypto;
pub mod emails;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod seed;
pub mod seed_catalogue;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use configuration::Settings;
pub use startup::Application;
