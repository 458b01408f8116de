//! SQL literals for the one simple-query message that opens a transaction ([`crate::Db::begin`]).
//!
//! Written by hand because nothing else does this job: sqlx sends a custom `BEGIN` only as a
//! simple query, which carries no bind parameters, and no maintained Rust crate quotes
//! PostgreSQL literals (libpq's `PQescapeStringConn` is C). The rule is PostgreSQL's own for
//! escape strings: `E'…'` with every `\` and `'` doubled. An `E''` literal means the same
//! whatever `standard_conforming_strings` says, and the connection's encoding is UTF-8, where no
//! byte of a multi-byte character is a quote or a backslash. PostgreSQL text cannot hold U+0000,
//! so a string with one is refused here, as the server would refuse it as a parameter.
//! `tests/literal.rs` checks against the server that every string comes back unchanged.

use std::fmt::Write;

use uuid::Uuid;

use crate::RepoError;

/// `s` as an SQL string literal.
pub fn text(s: &str) -> Result<String, RepoError> {
    if s.contains('\0') {
        return Err(RepoError::Db(sqlx::Error::Encode(
            "text holds U+0000, which PostgreSQL cannot store".into(),
        )));
    }
    let mut out = String::with_capacity(s.len() + 3);
    out.push_str("E'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// An optional string as a literal or `NULL`.
pub fn opt_text(s: Option<&str>) -> Result<String, RepoError> {
    s.map_or_else(|| Ok("NULL".to_owned()), text)
}

/// A uuid literal (its canonical form has only hex digits and hyphens) or `NULL`.
pub fn uuid(id: Option<Uuid>) -> String {
    id.map_or_else(
        || "NULL".to_owned(),
        |id| {
            let mut out = String::with_capacity(44);
            let _ = write!(out, "'{id}'::uuid");
            out
        },
    )
}
