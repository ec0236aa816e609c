//! Hadir's domain rules as pure functions: no I/O, no async, no clock of its own.
//!
//! Every rule that needs "now" takes it as a parameter, so each one is a plain function with plain
//! tests. Errors carry a stable `code` and a message in Indonesian and English ([`Explain`]); the
//! web layer only chooses which language to show.

pub mod attendance;
pub mod audit_chain;
pub mod breach;
pub mod calendar;
pub mod consent;
pub mod erasure;
pub mod explain;
pub mod geo;
pub mod identifiers;
pub mod login_throttle;
pub mod password_policy;
pub mod person;
pub mod photo;
pub mod retention;
pub mod roles;
pub mod schedule;
pub mod subject_rights;
pub mod time_zone;

pub use explain::{Explain, Lang};
