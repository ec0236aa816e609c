//! One module per table. Relations are followed with explicit queries in `hadir-app`, always
//! filtered by `institution_id`.

pub mod institution;
pub mod unit;
pub mod person;
pub mod account;
pub mod role_grant;
pub mod session;
pub mod audit_entry;
pub mod login_throttle;
pub mod work_location;
pub mod schedule;
