//! The text of every email Rxgate sends. No clinical content ever: emails say that something
//! happened and link to the app, where the person signs in to see details.

use rxgate_domain::identity::{DoctorDecision, Role};
use rxgate_integrations::email::OutgoingEmail;

pub fn verify_email(to: &str, name: &str, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Verify your email for Rxgate".into(),
        body_text: format!(
            "Hello {name},\n\nPlease confirm this is your email address by opening this link:\n\n{link}\n\n\
             The link works once and expires in 24 hours. If you did not create an Rxgate account, \
             ignore this message.\n"
        ),
        body_html: None,
    }
}

pub fn account_exists(to: &str, signin: &str, reset: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "You already have an Rxgate account".into(),
        body_text: format!(
            "Someone tried to create an Rxgate account with this email address, which already has \
             one.\n\nSign in: {signin}\nForgot your password? {reset}\n\nIf it was not you, you can \
             ignore this message.\n"
        ),
        body_html: None,
    }
}

pub fn reset_password(to: &str, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Reset your Rxgate password".into(),
        body_text: format!(
            "Open this link to choose a new password:\n\n{link}\n\nThe link works once and expires \
             in 24 hours. Choosing a new password signs you out everywhere. If you did not ask for \
             this, ignore this message: your password stays as it is.\n"
        ),
        body_html: None,
    }
}

pub fn password_changed(to: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Your Rxgate password was changed".into(),
        body_text: "Your password was just changed and every session was signed out. If this was \
                    not you, reset your password now and contact support.\n"
            .into(),
        body_html: None,
    }
}

/// A platform admin's decision about a doctor's registration; `reason` is said for rejections
/// and suspensions.
pub fn doctor_decision(
    to: &str,
    decision: DoctorDecision,
    reason: Option<&str>,
    signin: &str,
) -> OutgoingEmail {
    let body_text = match decision {
        DoctorDecision::Approve => {
            format!("Your Rxgate doctor registration was approved. Sign in at {signin} to start.")
        }
        DoctorDecision::Reinstate => {
            format!("Your Rxgate doctor account was reinstated. Sign in at {signin}.")
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
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Your Rxgate doctor registration".into(),
        body_text,
        body_html: None,
    }
}

/// An invitation to a staff role; `link` accepts it (once, for 7 days).
pub fn invitation(to: &str, role: Role, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "You are invited to Rxgate".into(),
        body_text: format!(
            "You have been invited to join Rxgate as {}.\n\nAccept the invitation here:\n\n{link}\n\n\
             The link works once and expires in 7 days.\n",
            role.as_str().replace('_', " ")
        ),
        body_html: None,
    }
}

/// A reminder of a booked consult: the doctor's name and the time only (never why).
pub fn consult_reminder(to: &str, doctor: &str, when: &str, link: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Your consult is coming up".into(),
        body_text: format!(
            "This is a reminder of your consult with {doctor} on {when}.\n\nSee it, join it or \
             change it in the app: {link}\n"
        ),
        body_html: None,
    }
}

/// A freed time offered to a patient on the doctor's waitlist: held for them for a while.
pub fn waitlist_offer(
    to: &str,
    doctor: &str,
    when: &str,
    minutes: i64,
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: "A consult time opened up for you".into(),
        body_text: format!(
            "A time with {doctor} opened up: {when}. It is held for you for {minutes} minutes.\n\n\
             Confirm it in the app: {link}\n\nIf you do not, it goes to the next person waiting.\n"
        ),
        body_html: None,
    }
}
