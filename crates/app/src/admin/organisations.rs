//! Clinics (tenants) and pharmacies, as platform admins create and list them.

use rxgate_api_types::FieldError;
use rxgate_domain::identity::Role;
use rxgate_persistence::Db;
use rxgate_persistence::organisations::{self, OrganisationRow};
use rxgate_persistence::pagination::{TimeCursor, finish_page};

use super::Page;
use crate::AppError;
use crate::Work;
use crate::audit::Event;
use crate::auth::{Actor, RequestFacts};

/// A new clinic or pharmacy.
#[derive(Debug, Clone)]
pub struct CreateOrganisation {
    /// `clinic` or `pharmacy`.
    pub kind: String,
    pub name: String,
    /// Lower-case letters, digits and single dashes; used in URLs.
    pub slug: String,
}

/// Creates a clinic (tenant) or a pharmacy. A taken slug is the database's `SLUG_TAKEN`.
pub async fn create_organisation(
    db: &Db,
    actor: &Actor,
    facts: &RequestFacts,
    command: CreateOrganisation,
) -> Result<OrganisationRow, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let mut problems = Vec::new();
    if !["clinic", "pharmacy"].contains(&command.kind.as_str()) {
        problems.push(FieldError {
            field: "kind".into(),
            code: "one_of".into(),
            message: "Must be clinic or pharmacy.".into(),
        });
    }
    let name = command.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(FieldError {
            field: "name".into(),
            code: "length".into(),
            message: "Must be 1 to 200 characters.".into(),
        });
    }
    if !slug_ok(&command.slug) {
        problems.push(FieldError {
            field: "slug".into(),
            code: "slug".into(),
            message: "Lower-case letters, digits and single dashes, up to 63 characters.".into(),
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let mut tx = Work::begin(db, actor, facts).await?;
    let row = organisations::create(&mut tx, &command.kind, name, &command.slug).await?;
    tx.record(Event::new("create", "organisation", row.id))
        .await?;
    tx.commit().await?;
    Ok(row)
}

/// Clinics and pharmacies, oldest first, after the opaque `cursor` of the previous page.
pub async fn list_organisations(
    db: &Db,
    actor: &Actor,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<OrganisationRow>, AppError> {
    actor.require(Role::PlatformAdmin)?;
    let after = cursor
        .map(TimeCursor::decode)
        .transpose()?
        .map(|c| (c.at, c.id));
    let mut tx = db.begin(&actor.rls()).await?;
    let rows = organisations::list(&mut tx, after, limit + 1).await?;
    tx.commit().await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        TimeCursor {
            at: r.created_at,
            id: r.id,
        }
        .encode()
    });
    Ok(Page { rows, next_cursor })
}

fn slug_ok(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 63
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}
