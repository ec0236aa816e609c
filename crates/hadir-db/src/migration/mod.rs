//! The one migration set, run on SQLite and PostgreSQL alike. Migrations are append-only: a
//! shipped migration is never edited, a change is a new file.

mod m0001_foundation;
mod m0002_calendar_and_settings;
mod m0003_devices_and_assignments;
mod m0004_attendance_events;
mod m0005_leave_requests;
mod m0006_schedule_assignments;
mod m0007_wfh_and_duty;
mod m0008_recap_cache;
mod m0009_second_review;
mod m0010_jobs;
mod m0011_audit_chain;
mod m0012_sealed_nik;
mod m0013_access_log;
mod m0014_legal_holds;
mod m0015_subject_requests;
mod m0016_registers;
mod m0017_consent;
mod m0018_leave_openings;
mod m0019_unit_status;
mod m0020_job_results;
mod m0021_kiosks;
mod m0022_notice_feedback;
mod m0023_rectification_proposals;
mod m0024_list_reads;
mod m0025_religion;
mod m0026_recap_person_months;
mod m0027_checkin_lookups;
mod m0028_devices_of_person;
mod m0029_counted_events;
mod m0030_jobs_due_by_kind;
mod m0031_events_of_person;

use sea_orm_migration::prelude::*;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_calendar_and_settings::Migration),
            Box::new(m0003_devices_and_assignments::Migration),
            Box::new(m0004_attendance_events::Migration),
            Box::new(m0005_leave_requests::Migration),
            Box::new(m0006_schedule_assignments::Migration),
            Box::new(m0007_wfh_and_duty::Migration),
            Box::new(m0008_recap_cache::Migration),
            Box::new(m0009_second_review::Migration),
            Box::new(m0010_jobs::Migration),
            Box::new(m0011_audit_chain::Migration),
            Box::new(m0012_sealed_nik::Migration),
            Box::new(m0013_access_log::Migration),
            Box::new(m0014_legal_holds::Migration),
            Box::new(m0015_subject_requests::Migration),
            Box::new(m0016_registers::Migration),
            Box::new(m0017_consent::Migration),
            Box::new(m0018_leave_openings::Migration),
            Box::new(m0019_unit_status::Migration),
            Box::new(m0020_job_results::Migration),
            Box::new(m0021_kiosks::Migration),
            Box::new(m0022_notice_feedback::Migration),
            Box::new(m0023_rectification_proposals::Migration),
            Box::new(m0024_list_reads::Migration),
            Box::new(m0025_religion::Migration),
            Box::new(m0026_recap_person_months::Migration),
            Box::new(m0027_checkin_lookups::Migration),
            Box::new(m0028_devices_of_person::Migration),
            Box::new(m0029_counted_events::Migration),
            Box::new(m0030_jobs_due_by_kind::Migration),
            Box::new(m0031_events_of_person::Migration),
        ]
    }
}

/// Index helpers for migrations that reshape a table's indexes.
pub(crate) mod index {
    use sea_orm_migration::prelude::*;

    /// An index on `table` over `cols`, in order; conditions and uniqueness are added by the caller.
    pub fn on<T: IntoIden + Copy>(table: T, name: &str, cols: &[T]) -> IndexCreateStatement {
        let mut index = Index::create().name(name).table(table).take();
        for c in cols {
            index.col(*c);
        }
        index
    }

    pub fn drop(table: impl IntoIden, name: &str) -> IndexDropStatement {
        Index::drop().name(name).table(table).to_owned()
    }
}

/// Column helpers, so each table reads as its list of fields.
pub(crate) mod col {
    use sea_orm_migration::prelude::*;

    pub fn id(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).string_len(36).not_null().take()
    }
    pub fn id_null(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).string_len(36).null().take()
    }
    pub fn text(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).text().not_null().take()
    }
    pub fn text_null(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).text().null().take()
    }
    /// An instant in Unix milliseconds.
    pub fn ms(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).big_integer().not_null().take()
    }
    pub fn ms_null(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).big_integer().null().take()
    }
    pub fn int(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).integer().not_null().take()
    }
    /// `(institution_id, <person column>)` → `people`: the person a row belongs to, removed with
    /// them. Every tenant table names its institution column `institution_id`.
    pub fn person_fk(table: impl IntoIden, person: impl IntoIden) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .from(table, (Alias::new("institution_id").into_iden(), person.into_iden()))
            .to(Alias::new("people"), (Alias::new("institution_id"), Alias::new("id")))
            .on_delete(ForeignKeyAction::Cascade)
            .take()
    }

    pub fn flag(name: impl IntoIden) -> ColumnDef {
        ColumnDef::new(name).boolean().not_null().default(false).take()
    }
}
