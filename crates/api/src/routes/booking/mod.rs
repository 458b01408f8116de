//! Booking a consult: the clinic's offer, doctors and their schedules, free slots, bookings.

pub mod bookings;
pub mod changes;
pub mod doctors;
pub mod offer;
pub mod schedule;
pub mod slots;
pub mod views;
pub mod waitlist;
