use actix_web::{HttpResponse, get, put, web};
use chrono::Utc;
use rxgate_api_types::FieldError;
use rxgate_api_types::Problem;
use rxgate_api_types::booking::{
    ClinicQuery, DoctorScheduleInput, DoctorScheduleView, ScheduleExceptionView, SlotRulesInput,
    WeeklyIntervalView,
};
use rxgate_app::AppError;
use rxgate_app::booking::{self, ScheduleView, SetSchedule, parse_time};
use rxgate_domain::schedule::{Exception, SlotRules, WeeklyInterval};

use crate::auth::{Principal, RequestMeta};
use crate::error::ApiError;
use crate::extract::ValidatedJson;
use crate::state::AppState;

fn hhmm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn schedule_view(s: ScheduleView) -> DoctorScheduleView {
    let narrow = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    DoctorScheduleView {
        doctor_id: s.doctor_id,
        clinic_id: s.clinic_id,
        time_zone: s.time_zone,
        rules: s.rules.map(|r| SlotRulesInput {
            slot_minutes: narrow(r.slot_minutes),
            buffer_minutes: narrow(r.buffer_minutes),
            min_notice_minutes: narrow(r.min_notice_minutes),
            horizon_days: narrow(r.horizon_days),
        }),
        weekly: s
            .weekly
            .into_iter()
            .map(|w| WeeklyIntervalView {
                weekday: w.weekday.into(),
                starts: hhmm(w.starts),
                ends: hhmm(w.ends),
            })
            .collect(),
        exceptions: s
            .exceptions
            .into_iter()
            .map(|e| ScheduleExceptionView {
                on: e.on,
                starts: hhmm(e.starts),
                ends: hhmm(e.ends),
                available: e.available,
            })
            .collect(),
    }
}

fn time(field: String, raw: &str) -> Result<chrono::NaiveTime, AppError> {
    parse_time(raw).ok_or_else(|| {
        AppError::Validation(vec![FieldError {
            field,
            code: "time".into(),
            message: "A time of day as HH:MM (00:00–23:59).".into(),
        }])
    })
}

/// The caller's availability in a clinic they work for (doctors).
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(ClinicQuery),
    responses(
        (status = OK, body = DoctorScheduleView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/doctor/schedule")]
pub async fn get_schedule(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<ClinicQuery>,
) -> Result<HttpResponse, ApiError> {
    let today = Utc::now().date_naive();
    let view = booking::my_schedule(&state.db, &principal, &meta, query.clinic_id, today).await?;
    Ok(HttpResponse::Ok().json(schedule_view(view)))
}

/// Replaces the caller's weekly schedule, exceptions and slot rules in a clinic (doctors).
/// Existing bookings stay where they are.
#[utoipa::path(
    tag = "booking",
    security(("bearer" = [])),
    params(ClinicQuery),
    request_body = DoctorScheduleInput,
    responses(
        (status = OK, body = DoctorScheduleView),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "A time that is not HH:MM, an empty or overlapping interval, a rule out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/doctor/schedule")]
pub async fn set_schedule(
    state: web::Data<AppState>,
    principal: Principal,
    meta: RequestMeta,
    query: web::Query<ClinicQuery>,
    body: ValidatedJson<DoctorScheduleInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut weekly = Vec::with_capacity(body.weekly.len());
    for (i, w) in body.weekly.iter().enumerate() {
        weekly.push(WeeklyInterval {
            weekday: w.weekday.into(),
            starts: time(format!("weekly[{i}].starts"), &w.starts)?,
            ends: time(format!("weekly[{i}].ends"), &w.ends)?,
        });
    }
    let mut exceptions = Vec::with_capacity(body.exceptions.len());
    for (i, e) in body.exceptions.iter().enumerate() {
        exceptions.push(Exception {
            on: e.on,
            starts: time(format!("exceptions[{i}].starts"), &e.starts)?,
            ends: time(format!("exceptions[{i}].ends"), &e.ends)?,
            available: e.available,
        });
    }
    let r = body.rules;
    let command = SetSchedule {
        clinic_id: query.clinic_id,
        rules: SlotRules {
            slot_minutes: i64::from(r.slot_minutes),
            buffer_minutes: i64::from(r.buffer_minutes),
            min_notice_minutes: i64::from(r.min_notice_minutes),
            horizon_days: i64::from(r.horizon_days),
        },
        weekly,
        exceptions,
    };
    let today = Utc::now().date_naive();
    let view = booking::set_my_schedule(&state.db, &principal, &meta, command, today).await?;
    Ok(HttpResponse::Ok().json(schedule_view(view)))
}
