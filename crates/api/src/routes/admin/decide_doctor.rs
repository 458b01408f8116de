use actix_web::{HttpResponse, post, web};
use rxgate_api_types::Problem;
use rxgate_api_types::admin::{DoctorApplication, DoctorDecisionKind, DoctorDecisionRequest};
use rxgate_app::admin::people::{self, DecideDoctor};
use rxgate_domain::identity::DoctorDecision;
use uuid::Uuid;

use super::to_view;
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// Approves, rejects, suspends or reinstates a doctor. Rejecting and suspending need a reason,
/// which the doctor is told by email; suspending also ends the doctor's sessions.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The doctor's user id")),
    request_body = DoctorDecisionRequest,
    responses(
        (status = OK, body = DoctorApplication),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`INVALID_TRANSITION` (e.g. approving a rejected doctor)", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "Missing reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/doctors/{id}/decision")]
pub async fn decide_doctor(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    id: web::Path<Uuid>,
    body: web::Json<DoctorDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let decision = match body.decision {
        DoctorDecisionKind::Approve => DoctorDecision::Approve,
        DoctorDecisionKind::Reject => DoctorDecision::Reject,
        DoctorDecisionKind::Suspend => DoctorDecision::Suspend,
        DoctorDecisionKind::Reinstate => DoctorDecision::Reinstate,
    };
    let doctor = people::decide_doctor(
        &state.db,
        &state.settings.application.public_url,
        &principal,
        &meta,
        id.into_inner(),
        DecideDoctor {
            decision,
            reason: body.reason,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(to_view(doctor)))
}
