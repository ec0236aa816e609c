//! One module per table. Relations are followed with explicit queries in `hadir-app`, always
//! filtered by `institution_id`.

pub mod access_entry;
pub mod account;
pub mod attendance_event;
pub mod audit_entry;
pub mod audit_head;
pub mod breach;
pub mod consent_entry;
pub mod device;
pub mod disclosure;
pub mod duty_assignment;
pub mod holiday;
pub mod institution;
pub mod institution_setting;
pub mod job;
pub mod kiosk;
pub mod leave_opening;
pub mod leave_request;
pub mod legal_hold;
pub mod location_assignment;
pub mod login_throttle;
pub mod notice_feedback;
pub mod person;
pub mod privacy_notice;
pub mod processor;
pub mod recap_generation;
pub mod recap_month_total;
pub mod role_grant;
pub mod schedule;
pub mod schedule_assignment;
pub mod session;
pub mod subject_request;
pub mod subject_request_step;
pub mod unit;
pub mod wfh_point;
pub mod work_location;
