//! Who people are and what they may do: roles, email addresses, the password policy and the
//! doctor approval lifecycle.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// A role held through a membership of an organisation (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Patient,
    Doctor,
    Pharmacist,
    ClinicAdmin,
    PlatformAdmin,
    InformationOfficer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Patient,
        Role::Doctor,
        Role::Pharmacist,
        Role::ClinicAdmin,
        Role::PlatformAdmin,
        Role::InformationOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::Doctor => "doctor",
            Self::Pharmacist => "pharmacist",
            Self::ClinicAdmin => "clinic_admin",
            Self::PlatformAdmin => "platform_admin",
            Self::InformationOfficer => "information_officer",
        }
    }

    /// Staff handle other people's data: MFA is mandatory and idle sessions end after 15
    /// minutes. Patients only see their own.
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Patient)
    }

    /// The kind of organisation a membership with this role belongs to.
    pub fn organisation_kind(self) -> OrganisationKind {
        match self {
            Self::Patient | Self::Doctor | Self::ClinicAdmin => OrganisationKind::Clinic,
            Self::Pharmacist => OrganisationKind::Pharmacy,
            Self::PlatformAdmin | Self::InformationOfficer => OrganisationKind::Platform,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Platform,
    Clinic,
    Pharmacy,
}

/// An email address as Rxgate stores it: trimmed, lower-cased, one `@`, a dotted domain.
/// Deliberately stricter than RFC 5322 (no quoted local parts, no IP-literal domains): these
/// are addresses people type into a sign-up form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct InvalidEmail;

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let email = raw.trim().to_lowercase();
        if email.len() > 254 {
            return Err(InvalidEmail);
        }
        let (local, domain) = email.split_once('@').ok_or(InvalidEmail)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            Err(InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map(|(l, _)| l).unwrap_or(&self.0)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("must be at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("must be at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("is one of the most common passwords")]
    Common,
    #[error("must not contain your email address")]
    ContainsEmail,
    #[error("must not be one repeated character")]
    Repetitive,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Common passwords of at least 12 characters (shorter ones fail the length rule anyway),
/// taken from the zxcvbn frequency lists (MIT licence) plus a few obvious additions.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// The password policy (NIST SP 800-63B style): long enough, not a known common password, not
/// the user's own email. No composition rules: they make passwords worse, not better.
pub fn check_new_password(password: &str, email: &EmailAddress) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.lines().any(|common| common == lower) {
        return Err(PasswordProblem::Common);
    }
    let local = email.local_part();
    if local.len() >= 4 && lower.contains(local) {
        return Err(PasswordProblem::ContainsEmail);
    }
    let mut distinct = lower.chars().collect::<Vec<_>>();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() <= 2 {
        return Err(PasswordProblem::Repetitive);
    }
    Ok(())
}

/// Whether an account may be used (a platform admin suspends and reinstates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "user_status", rename_all = "snake_case")
)]
pub enum UserStatus {
    Active,
    Suspended,
}

impl UserStatus {
    pub const ALL: [Self; 2] = [Self::Active, Self::Suspended];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    /// The status named `raw` (as stored and as sent in query strings).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for DoctorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a doctor's registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(
    feature = "sqlx",
    sqlx(type_name = "doctor_status", rename_all = "snake_case")
)]
pub enum DoctorStatus {
    Pending,
    Approved,
    Rejected,
    Suspended,
}

/// What a platform admin decides about a doctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoctorDecision {
    Approve,
    Reject,
    Suspend,
    Reinstate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} doctor cannot be {decision:?}d")]
pub struct InvalidDoctorTransition {
    pub from: DoctorStatus,
    pub decision: DoctorDecision,
}

impl DoctorStatus {
    pub const ALL: [Self; 4] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// The status named `raw` (as stored and as sent in query strings).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// `pending → approved | rejected`, `approved → suspended`, `suspended → approved`.
    /// A rejected registration is final: the doctor registers again with corrected data.
    pub fn transition(self, decision: DoctorDecision) -> Result<Self, InvalidDoctorTransition> {
        use DoctorDecision as D;
        use DoctorStatus as S;
        match (self, decision) {
            (S::Pending, D::Approve) => Ok(S::Approved),
            (S::Pending, D::Reject) => Ok(S::Rejected),
            (S::Approved, D::Suspend) => Ok(S::Suspended),
            (S::Suspended, D::Reinstate) => Ok(S::Approved),
            (from, decision) => Err(InvalidDoctorTransition { from, decision }),
        }
    }

    /// Only an approved doctor may act as a doctor.
    pub fn may_practise(self) -> bool {
        matches!(self, Self::Approved)
    }
}

/// Where a session stands with its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaStatus {
    /// The session passed a second factor.
    Satisfied,
    /// A patient without a second factor: optional for them.
    NotRequired,
    /// A second factor is set up but this session has not passed it yet.
    Required,
    /// Staff must set up a second factor before anything else.
    EnrolmentRequired,
}

impl MfaStatus {
    /// MFA is mandatory for every role but patient, and for anyone who enrolled.
    pub fn of(roles: &[Role], enrolled: bool, passed: bool) -> Self {
        let staff = roles.iter().any(|r| r.is_staff());
        match (passed, enrolled, staff) {
            (true, _, _) => Self::Satisfied,
            (false, true, _) => Self::Required,
            (false, false, true) => Self::EnrolmentRequired,
            (false, false, false) => Self::NotRequired,
        }
    }

    /// Whether the session may use the API beyond the MFA and sign-out endpoints.
    pub fn allows_access(self) -> bool {
        matches!(self, Self::Satisfied | Self::NotRequired)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::NotRequired => "not_required",
            Self::Required => "required",
            Self::EnrolmentRequired => "enrolment_required",
        }
    }
}

/// Failed sign-ins allowed before the account locks.
pub const FREE_LOGIN_FAILURES: i32 = 5;

/// How long an account stays locked after `failures` consecutive failed sign-ins: nothing for
/// the first five, then one minute doubling with each further failure, at most an hour.
pub fn lockout_until(failures: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if failures < FREE_LOGIN_FAILURES {
        return None;
    }
    let exponent = u32::try_from(failures - FREE_LOGIN_FAILURES)
        .unwrap_or(0)
        .min(6);
    let minutes = (1_i64 << exponent).min(60);
    Some(now + TimeDelta::minutes(minutes))
}

#[cfg(test)]
mod status_names {
    use super::*;

    #[test]
    fn statuses_read_back_from_their_names() {
        for s in DoctorStatus::ALL {
            assert_eq!(DoctorStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in UserStatus::ALL {
            assert_eq!(UserStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(DoctorStatus::parse("Approved"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            email("  Thandi.Nkosi@Clinic.CO.ZA ").as_str(),
            "thandi.nkosi@clinic.co.za"
        );
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in [
            "",
            "plain",
            "@example.org",
            "a@",
            "a@b",
            "a@b.c",
            "a b@example.org",
            "a@@example.org",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a@-x.org",
            "a@x-.org",
            "a@example.123",
            "a@exa_mple.org",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(InvalidEmail), "{bad}");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert!(EmailAddress::parse(&long_local).is_err());
    }

    #[test]
    fn password_policy_table() {
        let e = email("thandi@example.org");
        let cases = [
            ("short", Err(PasswordProblem::TooShort)),
            ("elevenchars", Err(PasswordProblem::TooShort)),
            ("correct horse battery", Ok(())),
            ("Password1234", Err(PasswordProblem::Common)),
            ("1qaz2wsx3edc", Err(PasswordProblem::Common)),
            ("my-thandi-password", Err(PasswordProblem::ContainsEmail)),
            ("aaaaaaaaaaaaaaaa", Err(PasswordProblem::Repetitive)),
            ("abababababababab", Err(PasswordProblem::Repetitive)),
            ("ñandú-pájaro-rápido", Ok(())),
        ];
        for (pw, expected) in cases {
            assert_eq!(check_new_password(pw, &e), expected, "{pw}");
        }
        assert_eq!(
            check_new_password(&"x1".repeat(65), &e),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 11 two-byte characters: 22 bytes, still too short.
        assert_eq!(
            check_new_password("ñññññññññññ", &email("x@example.org")),
            Err(PasswordProblem::TooShort)
        );
    }

    #[test]
    fn roles_round_trip_and_staff() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
        assert!(!Role::Patient.is_staff());
        assert!(Role::ALL.iter().filter(|r| r.is_staff()).count() == 5);
    }

    #[test]
    fn doctor_lifecycle_table() {
        use DoctorDecision as D;
        use DoctorStatus as S;
        let all_status = [S::Pending, S::Approved, S::Rejected, S::Suspended];
        let all_decisions = [D::Approve, D::Reject, D::Suspend, D::Reinstate];
        let allowed = [
            (S::Pending, D::Approve, S::Approved),
            (S::Pending, D::Reject, S::Rejected),
            (S::Approved, D::Suspend, S::Suspended),
            (S::Suspended, D::Reinstate, S::Approved),
        ];
        for from in all_status {
            for decision in all_decisions {
                let expected = allowed
                    .iter()
                    .find(|(f, d, _)| *f == from && *d == decision)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    from.transition(decision).ok(),
                    expected,
                    "{from:?} {decision:?}"
                );
            }
        }
        assert!(S::Approved.may_practise());
        assert!(!S::Pending.may_practise() && !S::Suspended.may_practise());
    }

    #[test]
    fn mfa_is_mandatory_for_staff_and_for_the_enrolled() {
        use MfaStatus as M;
        let patient = [Role::Patient];
        let doctor = [Role::Doctor];
        let both = [Role::Patient, Role::Pharmacist];
        assert_eq!(M::of(&patient, false, false), M::NotRequired);
        assert_eq!(M::of(&patient, true, false), M::Required);
        assert_eq!(M::of(&patient, true, true), M::Satisfied);
        assert_eq!(M::of(&doctor, false, false), M::EnrolmentRequired);
        assert_eq!(M::of(&doctor, true, false), M::Required);
        assert_eq!(M::of(&both, false, false), M::EnrolmentRequired);
        assert_eq!(M::of(&[], false, false), M::NotRequired);
        for s in [M::Required, M::EnrolmentRequired] {
            assert!(!s.allows_access());
        }
        assert!(M::Satisfied.allows_access() && M::NotRequired.allows_access());
    }

    #[test]
    fn lockout_backs_off_and_caps() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let minutes = |f| lockout_until(f, now).map(|t| (t - now).num_minutes());
        assert_eq!(minutes(0), None);
        assert_eq!(minutes(4), None);
        assert_eq!(minutes(5), Some(1));
        assert_eq!(minutes(6), Some(2));
        assert_eq!(minutes(8), Some(8));
        assert_eq!(minutes(11), Some(60));
        assert_eq!(minutes(1000), Some(60));
    }

    proptest! {
        #[test]
        fn parsed_emails_are_stable(local in "[a-z0-9]{1,20}", domain in "[a-z]{1,10}\\.[a-z]{2,5}") {
            let raw = format!("{local}@{domain}");
            let parsed = EmailAddress::parse(&raw.to_uppercase()).unwrap();
            prop_assert_eq!(parsed.as_str(), raw.as_str());
            prop_assert_eq!(EmailAddress::parse(parsed.as_str()).unwrap(), parsed);
        }

        #[test]
        fn no_short_password_is_ever_accepted(pw in ".{0,11}") {
            prop_assert!(check_new_password(&pw, &email("x@example.org")).is_err());
        }
    }
}
