use actix_web::{HttpResponse, get, web};
use rxgate_api_types::health::{DoctorPatient, DoctorPatientQuery};
use rxgate_api_types::{CursorPage, Problem};
use rxgate_domain::identity::Role;
use rxgate_persistence::pagination::{NameCursor, finish_page, page_size};
use rxgate_persistence::questionnaires;

use crate::audit::{self, Event};
use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::state::AppState;

/// The doctor's patients by name, with their flags (search by name or email).
#[utoipa::path(
    tag = "health",
    security(("bearer" = [])),
    params(DoctorPatientQuery),
    responses(
        (status = OK, body = CursorPage<DoctorPatient>),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/doctor/patients")]
pub async fn list_patients(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<DoctorPatientQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Doctor)?;
    let after = query
        .cursor
        .as_deref()
        .map(NameCursor::decode)
        .transpose()?;
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let limit = page_size(query.limit);
    let mut tx = state.begin_as(&principal).await?;
    let rows =
        questionnaires::doctor_patients(&mut tx, principal.user_id, search, after, limit).await?;
    let (rows, next_cursor) = finish_page(rows, limit, |r| {
        NameCursor {
            name: r.name.clone(),
            id: r.patient_id,
        }
        .encode()
    });
    audit::record(
        &mut tx,
        Some(&principal),
        None,
        &meta,
        Event::new("list", "patient", principal.user_id).shown(rows.iter().map(|r| r.patient_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(CursorPage {
        items: rows
            .into_iter()
            .map(|r| DoctorPatient {
                patient_id: r.patient_id,
                name: r.name,
                email: r.email,
                flags: r.flags,
                questionnaire_submitted_at: r.submitted_at,
            })
            .collect(),
        next_cursor,
    }))
}
