//! Demo data for `just run` (and the API tests). Every step is idempotent: running the seed
//! twice changes nothing. Never runs in production (the `rxgate seed` command refuses).

use rxgate_integrations::email::OutgoingEmail;
use rxgate_persistence::jobs::{self, NewJob};
use rxgate_persistence::{Db, RlsContext, mfa, organisations, users};
use sqlx::PgConnection;
use uuid::Uuid;

mod booking;
pub mod catalogue;
mod error;

pub use error::SeedError;

use crate::Settings;
use crate::auth::passwords;
use crate::crypto::DataKeys;
use crate::jobs::email;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "rxgate-demo-password";
pub const DEMO_CLINIC_SLUG: &str = "demo-clinic";
pub const DEMO_PHARMACY_SLUG: &str = "demo-pharmacy";
pub const DEMO_REFERRAL_CODE: &str = "DEMODOCTOR";

/// Staff must use a second factor: every demo staff account has this TOTP secret
/// (base32 `DEMO_TOTP_SECRET_BASE32`; add it to any authenticator app).
pub const DEMO_TOTP_SECRET: &[u8; 20] = b"rxgate-demo-totp-key";
pub const DEMO_TOTP_SECRET_BASE32: &str = "OJ4GOYLUMUWWIZLNN4WXI33UOAWWWZLZ";

/// The demo accounts: (email, name, role).
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 7] = [
    ("patient@rxgate.test", "Thandi Patient", "patient"),
    ("doctor@rxgate.test", "Dr Sipho Doctor", "doctor"),
    (
        "pending.doctor@rxgate.test",
        "Dr Pending Approval",
        "doctor",
    ),
    ("pharmacist@rxgate.test", "Anele Pharmacist", "pharmacist"),
    (
        "clinic.admin@rxgate.test",
        "Lerato Clinic Admin",
        "clinic_admin",
    ),
    ("admin@rxgate.test", "Platform Admin", "platform_admin"),
    (
        "officer@rxgate.test",
        "Information Officer",
        "information_officer",
    ),
];

pub struct DemoIds {
    pub clinic: Uuid,
    pub pharmacy: Uuid,
}

pub async fn run(db: &Db, settings: &Settings) -> Result<DemoIds, SeedError> {
    let keys =
        DataKeys::from_settings(&settings.security).map_err(|e| SeedError::Api(e.to_string()))?;
    let mut tx = db.begin(&RlsContext::system()).await?;
    welcome_mail(&mut tx, settings).await?;
    let ids = organisations_and_accounts(&mut tx, &keys).await?;
    catalogue::seed(&mut tx, ids.clinic, &keys).await?;
    booking::seed(&mut tx, ids.clinic).await?;
    tx.commit().await?;
    Ok(ids)
}

async fn organisations_and_accounts(
    conn: &mut PgConnection,
    keys: &DataKeys,
) -> Result<DemoIds, SeedError> {
    let clinic = organisations::ensure(conn, "clinic", "Demo Clinic", DEMO_CLINIC_SLUG).await?;
    let pharmacy =
        organisations::ensure(conn, "pharmacy", "Demo Pharmacy", DEMO_PHARMACY_SLUG).await?;
    let hash = passwords::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| SeedError::Api(e.to_string()))?;
    let mut doctor_id = None;
    let mut patient_id = None;
    for (email, name, role) in DEMO_ACCOUNTS {
        if users::find_by_email(conn, email).await?.is_some() {
            continue;
        }
        let id = users::insert(conn, email, name, &hash).await?;
        users::mark_email_verified(conn, id).await?;
        let org = match role {
            "pharmacist" => pharmacy,
            "platform_admin" | "information_officer" => organisations::PLATFORM_ID,
            _ => clinic,
        };
        users::add_membership(conn, id, org, role).await?;
        if role != "patient" && email != "pending.doctor@rxgate.test" {
            let sealed = keys
                .seal(DEMO_TOTP_SECRET, id.as_bytes())
                .map_err(|e| SeedError::Api(e.to_string()))?;
            mfa::start_totp(conn, id, &sealed, keys.current_id()).await?;
            mfa::confirm_totp(conn, id, 0).await?;
        }
        match (role, email) {
            ("patient", _) => {
                users::insert_patient_profile(conn, id).await?;
                patient_id = Some(id);
            }
            ("doctor", "doctor@rxgate.test") => {
                demo_doctor(conn, id, "HPCSA-MP0123456", DEMO_REFERRAL_CODE).await?;
                users::set_doctor_status(
                    conn,
                    id,
                    rxgate_domain::identity::DoctorStatus::Approved,
                    None,
                    None,
                )
                .await?;
                doctor_id = Some(id);
            }
            ("doctor", _) => demo_doctor(conn, id, "HPCSA-MP0999999", "PENDINGDOC").await?,
            ("pharmacist", _) => {
                users::insert_pharmacist_profile(conn, id, "SAPC-P12345", pharmacy).await?;
            }
            _ => {}
        }
    }
    if let (Some(d), Some(p)) = (doctor_id, patient_id) {
        users::link_doctor_patient(conn, d, p, "referral").await?;
    }
    Ok(DemoIds { clinic, pharmacy })
}

async fn demo_doctor(
    conn: &mut PgConnection,
    id: Uuid,
    licence: &str,
    referral: &str,
) -> Result<(), SeedError> {
    users::insert_doctor_profile(
        conn,
        &users::NewDoctor {
            user_id: id,
            licence_number: licence,
            licence_body: "HPCSA",
            licence_region: "ZA",
            licence_expires_on: chrono::NaiveDate::from_ymd_opt(2028, 12, 31).unwrap_or_default(),
            specialties: &["General practice".to_owned()],
            time_zone: "Africa/Johannesburg",
            referral_code: referral,
        },
    )
    .await?;
    Ok(())
}

/// A first message in the developer mailbox, so the mailbox page shows what it is for.
async fn welcome_mail(conn: &mut PgConnection, settings: &Settings) -> Result<(), SeedError> {
    let welcome = OutgoingEmail {
        to: "developer@rxgate.test".into(),
        subject: "Welcome to your Rxgate developer mailbox".into(),
        body_text: format!(
            "Every email Rxgate sends while running locally lands here instead of a real \
             inbox: verification links, password resets, notifications.\n\nOpen the app at {}",
            settings.application.public_url
        ),
        body_html: None,
    };
    let payload = serde_json::to_value(&welcome)
        .map_err(|e| SeedError::Db(sqlx::Error::Decode(Box::new(e))))?;
    jobs::enqueue(
        conn,
        &NewJob::new(email::KIND, payload).dedupe_key("seed.welcome"),
    )
    .await?;
    Ok(())
}

/// What `rxgate seed` prints for people running `just run`.
pub fn accounts_banner() -> String {
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(DEMO_PASSWORD);
    out.push_str(")\n");
    for (email, name, role) in DEMO_ACCOUNTS {
        out.push_str(&format!("  {role:<20} {email:<30} {name}\n"));
    }
    out.push_str(&format!(
        "  Staff sign in with a second factor: add the TOTP secret {DEMO_TOTP_SECRET_BASE32}\n  \
         to an authenticator app, or run `just totp` for the current code.\n"
    ));
    out.push_str(&format!(
        "  Doctor referral link: /signup?ref={DEMO_REFERRAL_CODE}\n"
    ));
    out
}
