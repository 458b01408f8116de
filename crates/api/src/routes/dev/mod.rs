//! Developer tools, present only in the local environment with the local email transport;
//! everywhere else these routes answer 404 as if they did not exist.

pub mod get_mailbox_message;
pub mod list_mailbox;
pub mod send_test_email;
pub mod start_test_payment;

use rxgate_api_types::dev::MailboxMessage;
use rxgate_persistence::mailbox::StoredEmail;

use crate::error::ApiError;
use crate::state::AppState;

fn ensure_enabled(state: &AppState) -> Result<(), ApiError> {
    if state.settings.dev_tools() {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

fn to_api(row: StoredEmail) -> MailboxMessage {
    MailboxMessage {
        id: row.id,
        to: row.to_address,
        subject: row.subject,
        body_text: row.body_text,
        created_at: row.created_at,
    }
}
