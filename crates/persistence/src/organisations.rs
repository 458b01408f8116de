//! Organisations: the platform, clinics (tenants) and pharmacies.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

/// The platform organisation every installation has (created by the identity migration).
pub const PLATFORM_ID: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub slug: String,
}

pub async fn find_by_slug(
    conn: &mut PgConnection,
    kind: &str,
    slug: &str,
) -> Result<Option<Organisation>, RepoError> {
    let row = sqlx::query_as!(
        Organisation,
        r#"SELECT id, kind::text AS "kind!", name, slug::text AS "slug!"
             FROM organisations WHERE slug = $1::text::citext AND kind = $2::text::organisation_kind"#,
        slug,
        kind,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// Creates an organisation, or returns the existing one with the same slug (idempotent).
pub async fn ensure(
    conn: &mut PgConnection,
    kind: &str,
    name: &str,
    slug: &str,
) -> Result<Uuid, RepoError> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO organisations (id, kind, name, slug)
           VALUES ($1, $2::text::organisation_kind, $3, $4::text::citext)
           ON CONFLICT (slug) DO UPDATE SET name = organisations.name
           RETURNING id"#,
        Uuid::now_v7(),
        kind,
        name,
        slug,
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn create(
    conn: &mut PgConnection,
    kind: &str,
    name: &str,
    slug: &str,
) -> Result<OrganisationRow, RepoError> {
    let row = sqlx::query_as!(
        OrganisationRow,
        r#"INSERT INTO organisations (id, kind, name, slug)
           VALUES ($1, $2::text::organisation_kind, $3, $4::text::citext)
           RETURNING id, kind::text AS "kind!", name, slug::text AS "slug!", created_at"#,
        Uuid::now_v7(),
        kind,
        name,
        slug,
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Every organisation in the order it was created: the platform first (its id is what
/// platform admins and information officers are invited to), then clinics and pharmacies.
pub async fn list(
    conn: &mut PgConnection,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<OrganisationRow>, RepoError> {
    let (after_at, after_id) = after.unzip();
    let rows = sqlx::query_as!(
        OrganisationRow,
        r#"SELECT id, kind::text AS "kind!", name, slug::text AS "slug!", created_at
             FROM organisations
            WHERE ($1::timestamptz IS NULL OR (created_at, id) > ($1, $2::uuid))
            ORDER BY created_at, id LIMIT $3"#,
        after_at,
        after_id,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// `platform`, `clinic` or `pharmacy`; `None` when there is no such organisation.
pub async fn kind_of(conn: &mut PgConnection, id: Uuid) -> Result<Option<String>, RepoError> {
    let kind = sqlx::query_scalar!(
        r#"SELECT kind::text AS "kind!" FROM organisations WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(kind)
}
