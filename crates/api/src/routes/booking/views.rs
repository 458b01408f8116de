//! Booking rows as the API shows them.

use rxgate_api_types::booking::{BookingDetailView, BookingEventView, BookingView};
use rxgate_api_types::catalogue::MoneyView;
use rxgate_app::booking::BookingView as Booking;
use rxgate_persistence::booking::{BookingRow, EventRow};

pub(crate) fn booking_view(b: BookingRow) -> BookingView {
    BookingView {
        id: b.id,
        clinic_id: b.clinic_id,
        clinic_name: b.clinic_name,
        doctor_id: b.doctor_id,
        doctor_name: b.doctor_name,
        doctor_time_zone: b.doctor_time_zone,
        patient_id: b.patient_id,
        mode: b.mode.into(),
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        status: b.status.into(),
        fee: MoneyView {
            amount_minor: b.fee_minor,
            currency: b.currency,
        },
        hold_expires_at: b.hold_expires_at,
        payment_id: b.payment_id,
        created_at: b.created_at,
    }
}

fn event_view(e: EventRow) -> BookingEventView {
    BookingEventView {
        from_status: e.from_status.map(Into::into),
        to_status: e.to_status.into(),
        reason: e.reason.into(),
        starts_at: e.starts_at,
        actor_id: e.actor_id,
        at: e.created_at,
    }
}

pub(crate) fn detail_view(v: Booking) -> BookingDetailView {
    BookingDetailView {
        booking: booking_view(v.booking),
        events: v.events.into_iter().map(event_view).collect(),
    }
}
