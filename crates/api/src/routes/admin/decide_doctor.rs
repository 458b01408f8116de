use actix_web::{HttpResponse, post, web};
use rxgate_api_types::admin::{DoctorApplication, DoctorDecisionKind, DoctorDecisionRequest};
use rxgate_api_types::{FieldError, Problem};
use rxgate_domain::identity::{DoctorDecision, Role};
use rxgate_integrations::email::OutgoingEmail;
use rxgate_persistence::{sessions, users};
use uuid::Uuid;

use super::to_view;
use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::jobs::email;
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
    principal.require(Role::PlatformAdmin)?;
    let id = id.into_inner();
    let decision = match body.decision {
        DoctorDecisionKind::Approve => DoctorDecision::Approve,
        DoctorDecisionKind::Reject => DoctorDecision::Reject,
        DoctorDecisionKind::Suspend => DoctorDecision::Suspend,
        DoctorDecisionKind::Reinstate => DoctorDecision::Reinstate,
    };
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let needs_reason = matches!(decision, DoctorDecision::Reject | DoctorDecision::Suspend);
    if needs_reason && reason.is_none_or(|r| r.len() < 5) {
        return Err(ApiError::Validation(vec![FieldError {
            field: "reason".into(),
            code: "required".into(),
            message: "Give the doctor a reason (at least 5 characters).".into(),
        }]));
    }
    let mut tx = state.begin_as(&principal).await?;
    let current = users::find_doctor(&mut tx, id).await?;
    let next = current
        .status
        .transition(decision)
        .map_err(|e| ApiError::Conflict {
            code: "INVALID_TRANSITION",
            detail: format!(
                "A {} doctor cannot be {}d.",
                current.status.as_str(),
                format!("{:?}", e.decision).to_lowercase()
            ),
        })?;
    users::set_doctor_status(
        &mut tx,
        id,
        next,
        reason.filter(|_| needs_reason),
        Some(principal.user_id),
    )
    .await?;
    if decision == DoctorDecision::Suspend {
        sessions::revoke_all(&mut tx, id, "doctor suspended").await?;
    }
    let base = state.settings.application.public_url.trim_end_matches('/');
    let text = match decision {
        DoctorDecision::Approve => format!(
            "Your Rxgate doctor registration was approved. Sign in at {base}/signin to start."
        ),
        DoctorDecision::Reinstate => {
            format!("Your Rxgate doctor account was reinstated. Sign in at {base}/signin.")
        }
        DoctorDecision::Reject => format!(
            "Your Rxgate doctor registration was not approved.\n\nReason: {}\n",
            reason.unwrap_or_default()
        ),
        DoctorDecision::Suspend => format!(
            "Your Rxgate doctor account was suspended.\n\nReason: {}\n",
            reason.unwrap_or_default()
        ),
    };
    email::enqueue(
        &mut tx,
        &OutgoingEmail {
            to: current.email.clone(),
            subject: "Your Rxgate doctor registration".into(),
            body_text: text,
            body_html: None,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("doctor_decision", "doctor_profile", id)
            .risk("medium")
            .details(serde_json::json!({
                "from": current.status, "to": next,
            })),
    )
    .await?;
    let updated = users::find_doctor(&mut tx, id).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(to_view(updated)))
}
