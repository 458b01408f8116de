//! The text of every email Rxgate sends. No clinical content ever: emails say that something
//! happened and link to the app, where the person signs in to see details.

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
