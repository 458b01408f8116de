//! Users, their memberships and profiles.

use chrono::{DateTime, NaiveDate, Utc};
use rxgate_domain::identity::{DoctorStatus, UserStatus, lockout_until};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::RepoError;

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub status: UserStatus,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn find_by_email(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<UserRow>, RepoError> {
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, email::text AS "email!", display_name, password_hash, email_verified_at,
                  status AS "status!: UserStatus", failed_logins, locked_until
             FROM users WHERE email = $1::text::citext"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

pub async fn find(conn: &mut PgConnection, id: Uuid) -> Result<UserRow, RepoError> {
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, email::text AS "email!", display_name, password_hash, email_verified_at,
                  status AS "status!: UserStatus", failed_logins, locked_until
             FROM users WHERE id = $1"#,
        id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Whether `patient_id` is one of `doctor_id`'s patients (linked by a referral, a consult or a
/// prescription). Other roles the doctor holds (a clinic's admin) do not make a patient theirs.
pub async fn is_doctors_patient(
    conn: &mut PgConnection,
    doctor_id: Uuid,
    patient_id: Uuid,
) -> Result<bool, RepoError> {
    let linked = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM doctor_patient_links
                           WHERE doctor_id = $1 AND patient_id = $2) AS "linked!""#,
        doctor_id,
        patient_id
    )
    .fetch_one(conn)
    .await?;
    Ok(linked)
}

pub async fn insert(
    conn: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"INSERT INTO users (id, email, display_name, password_hash)
           VALUES ($1, $2::text::citext, $3, $4)"#,
        id,
        email,
        display_name,
        password_hash,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn add_membership(
    conn: &mut PgConnection,
    user_id: Uuid,
    organisation_id: Uuid,
    role: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO memberships (id, user_id, organisation_id, role)
           VALUES ($1, $2, $3, $4::text::app_role)
           ON CONFLICT (user_id, organisation_id, role) DO NOTHING"#,
        Uuid::now_v7(),
        user_id,
        organisation_id,
        role,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct MembershipRow {
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub role: String,
}

/// One query for all of a user's memberships with their organisations.
pub async fn memberships(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<MembershipRow>, RepoError> {
    let rows = sqlx::query_as!(
        MembershipRow,
        r#"SELECT m.organisation_id, o.name AS organisation_name,
                  o.kind::text AS "organisation_kind!", m.role::text AS "role!"
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id
            WHERE m.user_id = $1
            ORDER BY o.kind, o.name, m.role"#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn insert_patient_profile(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        "INSERT INTO patient_profiles (user_id) VALUES ($1) ON CONFLICT DO NOTHING",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct NewDoctor<'a> {
    pub user_id: Uuid,
    pub licence_number: &'a str,
    pub licence_body: &'a str,
    pub licence_region: &'a str,
    pub licence_expires_on: NaiveDate,
    pub specialties: &'a [String],
    pub time_zone: &'a str,
    pub referral_code: &'a str,
}

pub async fn insert_doctor_profile(
    conn: &mut PgConnection,
    d: &NewDoctor<'_>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO doctor_profiles (user_id, licence_number, licence_body, licence_region,
               licence_expires_on, specialties, time_zone, referral_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::citext)"#,
        d.user_id,
        d.licence_number,
        d.licence_body,
        d.licence_region,
        d.licence_expires_on,
        d.specialties,
        d.time_zone,
        d.referral_code,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct DoctorSummary {
    pub status: DoctorStatus,
    pub referral_code: String,
}

pub async fn doctor_profile(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<DoctorSummary>, RepoError> {
    let row = sqlx::query_as!(
        DoctorSummary,
        r#"SELECT status AS "status!: DoctorStatus", referral_code::text AS "referral_code!"
             FROM doctor_profiles WHERE user_id = $1"#,
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row)
}

/// The approved doctor behind a referral code, with the clinic they practise in.
pub async fn doctor_by_referral(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<(Uuid, Uuid)>, RepoError> {
    let row = sqlx::query!(
        r#"SELECT d.user_id, m.organisation_id
             FROM doctor_profiles d
             JOIN memberships m ON m.user_id = d.user_id AND m.role = 'doctor'
            WHERE d.referral_code = $1::text::citext AND d.status = 'approved'
            ORDER BY m.created_at LIMIT 1"#,
        code
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.user_id, r.organisation_id)))
}

pub async fn link_doctor_patient(
    conn: &mut PgConnection,
    doctor_id: Uuid,
    patient_id: Uuid,
    source: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO doctor_patient_links (doctor_id, patient_id, source)
           VALUES ($1, $2, $3::text::care_link_source) ON CONFLICT DO NOTHING"#,
        doctor_id,
        patient_id,
        source,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Counts one failed sign-in step (password, second factor, passkey) and locks the account
/// when [`lockout_until`] says so. The count is incremented in the database, not read and
/// written back, so parallel wrong guesses each count: the row lock taken by the first
/// `UPDATE` makes the next one wait and then see the new count. Returns the failures so far.
pub async fn register_login_failure(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<i32, RepoError> {
    let failures = sqlx::query_scalar!(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(RepoError::NotFound)?;
    if let Some(until) = lockout_until(failures, now) {
        sqlx::query!(
            "UPDATE users SET locked_until = greatest(locked_until, $2) WHERE id = $1",
            user_id,
            until,
        )
        .execute(conn)
        .await?;
    }
    Ok(failures)
}

pub async fn record_login_success(conn: &mut PgConnection, user_id: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_email_verified(conn: &mut PgConnection, user_id: Uuid) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1",
        user_id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_doctor_status(
    conn: &mut PgConnection,
    user_id: Uuid,
    status: DoctorStatus,
    reason: Option<&str>,
    decided_by: Option<Uuid>,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"UPDATE doctor_profiles
              SET status = $2, status_reason = $3, decided_by = $4,
                  decided_at = now()
            WHERE user_id = $1"#,
        user_id,
        status as DoctorStatus,
        reason,
        decided_by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_email_verified_now(
    conn: &mut PgConnection,
    email: &str,
) -> Result<(), RepoError> {
    sqlx::query!(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE email = $1::text::citext",
        email
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether PostgreSQL knows this IANA time zone name (the list slot maths will use).
pub async fn time_zone_exists(conn: &mut PgConnection, name: &str) -> Result<bool, RepoError> {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS "exists!""#,
        name
    )
    .fetch_one(conn)
    .await?;
    Ok(exists)
}

pub async fn insert_pharmacist_profile(
    conn: &mut PgConnection,
    user_id: Uuid,
    registration_number: &str,
    pharmacy_id: Uuid,
) -> Result<(), RepoError> {
    sqlx::query!(
        r#"INSERT INTO pharmacist_profiles (user_id, registration_number, pharmacy_id)
           VALUES ($1, $2, $3)"#,
        user_id,
        registration_number,
        pharmacy_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct DoctorApplicationRow {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub licence_number: String,
    pub licence_body: String,
    pub licence_region: String,
    pub licence_expires_on: NaiveDate,
    pub specialties: Vec<String>,
    pub status: DoctorStatus,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Doctors with `status`, oldest application first (a queue), one query per page.
pub async fn list_doctors(
    conn: &mut PgConnection,
    status: DoctorStatus,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DoctorApplicationRow>, RepoError> {
    let (after_at, after_id) = after.unzip();
    let rows = sqlx::query_as!(
        DoctorApplicationRow,
        r#"SELECT d.user_id, u.display_name, u.email::text AS "email!", d.licence_number,
                  d.licence_body, d.licence_region, d.licence_expires_on, d.specialties,
                  d.status AS "status!: DoctorStatus", d.status_reason, d.created_at
             FROM doctor_profiles d JOIN users u ON u.id = d.user_id
            WHERE d.status = $1
              AND ($2::timestamptz IS NULL OR (d.created_at, d.user_id) > ($2, $3::uuid))
            ORDER BY d.created_at, d.user_id
            LIMIT $4"#,
        status as DoctorStatus,
        after_at,
        after_id,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn find_doctor(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<DoctorApplicationRow, RepoError> {
    let row = sqlx::query_as!(
        DoctorApplicationRow,
        r#"SELECT d.user_id, u.display_name, u.email::text AS "email!", d.licence_number,
                  d.licence_body, d.licence_region, d.licence_expires_on, d.specialties,
                  d.status AS "status!: DoctorStatus", d.status_reason, d.created_at
             FROM doctor_profiles d JOIN users u ON u.id = d.user_id
            WHERE d.user_id = $1
            FOR UPDATE OF d"#,
        user_id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

pub async fn set_user_status(
    conn: &mut PgConnection,
    user_id: Uuid,
    status: UserStatus,
) -> Result<bool, RepoError> {
    let n = sqlx::query!(
        "UPDATE users SET status = $2 WHERE id = $1",
        user_id,
        status as UserStatus
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone)]
pub struct UserSummaryRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub status: UserStatus,
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// Users newest first, optionally filtered by a name/email fragment, a role and a status;
/// roles aggregated in the same query.
pub async fn search(
    conn: &mut PgConnection,
    q: Option<&str>,
    role: Option<&str>,
    status: Option<UserStatus>,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<UserSummaryRow>, RepoError> {
    let (at, id) = before.unzip();
    let rows = sqlx::query_as!(
        UserSummaryRow,
        r#"SELECT u.id, u.email::text AS "email!", u.display_name, u.status AS "status!: UserStatus",
                  coalesce(array_agg(DISTINCT m.role::text) FILTER (WHERE m.role IS NOT NULL), '{}') AS "roles!",
                  u.created_at
             FROM users u LEFT JOIN memberships m ON m.user_id = u.id
            WHERE ($1::text IS NULL
                   OR lower(u.email::text || ' ' || u.display_name) LIKE '%' || like_escape(lower($1)) || '%')
              AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM memberships r WHERE r.user_id = u.id AND r.role::text = $2))
              AND ($3::user_status IS NULL OR u.status = $3)
              AND ($4::timestamptz IS NULL OR (u.created_at, u.id) < ($4, $5::uuid))
            GROUP BY u.id
            ORDER BY u.created_at DESC, u.id DESC
            LIMIT $6"#,
        q,
        role,
        status as Option<UserStatus>,
        at,
        id,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}
