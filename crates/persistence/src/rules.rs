//! Contraindication rules: `(product | active ingredient) × flag → block | review | warn`.
//! Changes take effect at once: eligibility reads the table on every request.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct RuleRow {
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    pub product_name: Option<String>,
    pub ingredient_id: Option<Uuid>,
    pub ingredient_name: Option<String>,
    pub flag_code: String,
    pub action: String,
    pub patient_message: String,
    pub clinician_message: String,
    pub active: bool,
    pub updated_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    pub flag: Option<String>,
    pub action: Option<String>,
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub active: Option<bool>,
    /// Keyset: rules after this id (ids are time-ordered v7, so this is creation order).
    pub after: Option<Uuid>,
    pub limit: i64,
}

/// A page of rules (`limit + 1` rows, see `finish_page`), oldest first.
pub async fn list(conn: &mut PgConnection, f: &RuleFilter) -> Result<Vec<RuleRow>, RepoError> {
    let rows = sqlx::query_as!(
        RuleRow,
        r#"SELECT r.id, r.product_id, p.name AS "product_name?", r.ingredient_id,
                  i.name AS "ingredient_name?", r.flag_code, r.action::text AS "action!",
                  r.patient_message, r.clinician_message, r.active,
                  u.display_name AS "updated_by_name?", r.created_at, r.updated_at
             FROM contraindication_rules r
             LEFT JOIN products p ON p.id = r.product_id
             LEFT JOIN active_ingredients i ON i.id = r.ingredient_id
             LEFT JOIN users u ON u.id = r.updated_by
            WHERE ($1::text IS NULL OR r.flag_code = $1)
              AND ($2::uuid IS NULL OR r.product_id = $2)
              AND ($3::uuid IS NULL OR r.ingredient_id = $3)
              AND ($4::boolean IS NULL OR r.active = $4)
              AND ($5::uuid IS NULL OR r.id > $5)
              AND ($7::text IS NULL OR r.action::text = $7)
            ORDER BY r.id
            LIMIT $6"#,
        f.flag,
        f.product_id,
        f.ingredient_id,
        f.active,
        f.after,
        f.limit + 1,
        f.action,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<Option<RuleRow>, RepoError> {
    let row = sqlx::query_as!(
        RuleRow,
        r#"SELECT r.id, r.product_id, p.name AS "product_name?", r.ingredient_id,
                  i.name AS "ingredient_name?", r.flag_code, r.action::text AS "action!",
                  r.patient_message, r.clinician_message, r.active,
                  u.display_name AS "updated_by_name?", r.created_at, r.updated_at
             FROM contraindication_rules r
             LEFT JOIN products p ON p.id = r.product_id
             LEFT JOIN active_ingredients i ON i.id = r.ingredient_id
             LEFT JOIN users u ON u.id = r.updated_by
            WHERE r.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

#[derive(Debug, Clone)]
pub struct RuleInput {
    pub product_id: Option<Uuid>,
    pub ingredient_id: Option<Uuid>,
    pub flag_code: String,
    pub action: String,
    pub patient_message: String,
    pub clinician_message: String,
    pub active: bool,
}

pub async fn insert(conn: &mut PgConnection, r: &RuleInput, by: Uuid) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO contraindication_rules (id, product_id, ingredient_id, flag_code, action,
               patient_message, clinician_message, active, created_by, updated_by)
           VALUES ($1, $2, $3, $4, $5::text::rule_action, $6, $7, $8, $9, $9)"#,
        id,
        r.product_id,
        r.ingredient_id,
        r.flag_code,
        r.action,
        r.patient_message,
        r.clinician_message,
        r.active,
        by,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Replaces a rule's content; false when there is no such rule.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    r: &RuleInput,
    by: Uuid,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        r#"UPDATE contraindication_rules
              SET product_id = $2, ingredient_id = $3, flag_code = $4, action = $5::text::rule_action,
                  patient_message = $6, clinician_message = $7, active = $8, updated_by = $9
            WHERE id = $1"#,
        id,
        r.product_id,
        r.ingredient_id,
        r.flag_code,
        r.action,
        r.patient_message,
        r.clinician_message,
        r.active,
        by,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}
