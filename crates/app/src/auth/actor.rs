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
    /// The clinic the request names (`X-Rxgate-Clinic`), if it names one.
    pub requested_clinic: Option<Uuid>,
}

/// The header a request names its clinic with, when the caller belongs to several.
pub const CLINIC_HEADER: &str = "X-Rxgate-Clinic";

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

    /// The clinic a request acts in as `role`: the one it names (`X-Rxgate-Clinic`, or
    /// `requested`, e.g. a `clinic_id` parameter, which wins), which must be one where the
    /// caller holds `role` (else 404); or, when it names none, the caller's only such clinic.
    /// A caller with several must name one (`422 CLINIC_REQUIRED`): the clinic is never
    /// guessed. `None` when the caller holds `role` in no clinic.
    pub fn acting_clinic(
        &self,
        role: Role,
        requested: Option<Uuid>,
    ) -> Result<Option<Uuid>, AppError> {
        self.pick_clinic(self.clinics_as(role), requested)
    }

    /// Like [`Actor::acting_clinic`], over every clinic the caller belongs to in any role
    /// (staff who see a clinic's catalogue whatever their role there).
    pub fn acting_clinic_any_role(
        &self,
        requested: Option<Uuid>,
    ) -> Result<Option<Uuid>, AppError> {
        self.pick_clinic(self.clinic_ids.iter().copied(), requested)
    }

    fn pick_clinic(
        &self,
        held: impl Iterator<Item = Uuid>,
        requested: Option<Uuid>,
    ) -> Result<Option<Uuid>, AppError> {
        let held: Vec<Uuid> = held.collect();
        match requested.or(self.requested_clinic) {
            Some(clinic) if held.contains(&clinic) => Ok(Some(clinic)),
            Some(_) => Err(AppError::NotFound),
            None if held.len() > 1 => Err(AppError::Rule {
                code: "CLINIC_REQUIRED",
                detail: format!(
                    "You belong to several clinics: name the one this request is for with the \
                     {CLINIC_HEADER} header."
                ),
            }),
            None => Ok(held.first().copied()),
        }
    }

    /// The clinic audit events of this actor name when the use case does not say: the only
    /// clinic the caller belongs to, or none (never an arbitrary one of several).
    pub fn only_clinic(&self) -> Option<Uuid> {
        match self.clinic_ids.as_slice() {
            [only] => Some(*only),
            _ => self
                .requested_clinic
                .filter(|c| self.clinic_ids.contains(c)),
        }
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
