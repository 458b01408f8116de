//! Who acts in a use case, and from where: what a verified access token says about its bearer
//! and what every audit event records about the request.

use rxgate_domain::identity::Role;
use rxgate_persistence::RlsContext;
use uuid::Uuid;

use crate::AppError;

/// A signed-in caller. The HTTP layer builds it from a verified access token; jobs and
/// webhooks act as the system instead.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub roles: Vec<Role>,
    /// Every clinic the caller belongs to, in any role.
    pub clinic_ids: Vec<Uuid>,
    /// The role the caller holds in each clinic.
    pub clinic_roles: Vec<(Role, Uuid)>,
    pub pharmacy_ids: Vec<Uuid>,
    pub mfa: bool,
    pub mfa_enrolled: bool,
    /// The request this actor acts in (log correlation, audit events).
    pub request_id: Option<String>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses callers without `role` (403: the endpoint exists, the caller may not use it).
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: "FORBIDDEN",
                detail: format!("This needs the {role} role."),
            })
        }
    }

    /// The clinics where the caller holds `role` (a clinic admin of one clinic may be a patient
    /// of another: what they may do depends on the role they hold there).
    pub fn clinics_as(&self, role: Role) -> impl Iterator<Item = Uuid> + '_ {
        self.clinic_roles
            .iter()
            .filter(move |(r, _)| *r == role)
            .map(|(_, clinic)| *clinic)
    }

    /// Whether the caller holds `role` in `clinic`.
    pub fn is_at(&self, role: Role, clinic: Uuid) -> bool {
        self.clinics_as(role).any(|c| c == clinic)
    }

    /// The role recorded as acting in audit events: the most privileged one held.
    pub fn acting_role(&self) -> Option<String> {
        self.roles.iter().max().map(|r| r.as_str().to_owned())
    }

    /// The row-level-security context of this actor's transactions (with its session, so a
    /// transaction of an ended session is refused).
    pub fn rls(&self) -> RlsContext {
        RlsContext {
            user_id: Some(self.user_id),
            session_id: Some(self.session_id),
            roles: self.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            clinic_ids: self.clinic_ids.clone(),
            clinic_roles: self
                .clinic_roles
                .iter()
                .map(|(role, clinic)| (role.as_str().to_owned(), *clinic))
                .collect(),
            pharmacy_ids: self.pharmacy_ids.clone(),
            system: false,
            request_id: self.request_id.clone(),
        }
    }
}

/// Where a request came from: the facts every audit event records.
#[derive(Debug, Clone, Default)]
pub struct RequestFacts {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    /// Set only when `audit.enabled = false` (benchmarks): events are then not recorded.
    pub audit_off: bool,
}
