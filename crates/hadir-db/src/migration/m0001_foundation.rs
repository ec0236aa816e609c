//! Institutions, units, people, accounts, role grants, sessions, the audit log, login throttling,
//! work locations and schedules.

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Institutions {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    TimeZone,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Units {
    Table,
    InstitutionId,
    Id,
    ParentId,
    Code,
    Name,
    Kind,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    InstitutionId,
    Id,
    EmployeeNumber,
    EmploymentType,
    FullName,
    Nik,
    Email,
    Phone,
    UnitId,
    Position,
    SupervisorId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    InstitutionId,
    Id,
    PersonId,
    PasswordHash,
    MustChangePassword,
    PasswordChangedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleGrants {
    Table,
    InstitutionId,
    Id,
    AccountId,
    Role,
    UnitId,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sessions {
    Table,
    InstitutionId,
    Id,
    AccountId,
    TokenHash,
    Client,
    UserAgent,
    Ip,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    InstitutionId,
    Id,
    At,
    ActorAccountId,
    Action,
    SubjectType,
    SubjectId,
    RequestId,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStart,
    LockedUntil,
}

#[derive(DeriveIden, Clone, Copy)]
enum WorkLocations {
    Table,
    InstitutionId,
    Id,
    UnitId,
    Name,
    Address,
    TimeZone,
    Geofence,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Schedules {
    Table,
    InstitutionId,
    Id,
    Name,
    Definition,
    IsDefault,
    CreatedAt,
}

/// `(institution_id, id)`: the key of every tenant table.
fn tenant_key(table: impl IntoIden + Copy, institution: impl IntoIden, id: impl IntoIden) -> IndexCreateStatement {
    Index::create().table(table).col(institution).col(id).primary().take()
}

/// A reference to another tenant table that also matches the institution.
fn tenant_fk(
    from: (impl IntoIden + Copy, impl IntoIden + Copy, impl IntoIden),
    to: (impl IntoIden + Copy, impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, (from.1, from.2)).to(to.0, (to.1, to.2)).on_delete(on_delete).take()
}

fn institution_fk(table: impl IntoIden + Copy, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Institutions::Table, Institutions::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Institutions::Table)
                .col(id(Institutions::Id).primary_key())
                .col(text(Institutions::Slug).unique_key())
                .col(text(Institutions::Name))
                .col(text(Institutions::Kind))
                .col(text(Institutions::TimeZone))
                .col(ms(Institutions::CreatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Units::Table)
                .col(id(Units::InstitutionId))
                .col(id(Units::Id))
                .col(id_null(Units::ParentId))
                .col(text(Units::Code))
                .col(text(Units::Name))
                .col(text(Units::Kind))
                .col(ms(Units::CreatedAt))
                .col(ms(Units::UpdatedAt))
                .primary_key(&mut tenant_key(Units::Table, Units::InstitutionId, Units::Id))
                .foreign_key(&mut institution_fk(Units::Table, Units::InstitutionId))
                .foreign_key(&mut tenant_fk(
                    (Units::Table, Units::InstitutionId, Units::ParentId),
                    (Units::Table, Units::InstitutionId, Units::Id),
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("units_code")
                .table(Units::Table)
                .col(Units::InstitutionId)
                .col(Units::Code)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(People::Table)
                .col(id(People::InstitutionId))
                .col(id(People::Id))
                .col(text(People::EmployeeNumber))
                .col(text(People::EmploymentType))
                .col(text(People::FullName))
                .col(text_null(People::Nik))
                .col(text_null(People::Email))
                .col(text_null(People::Phone))
                .col(id_null(People::UnitId))
                .col(text_null(People::Position))
                .col(id_null(People::SupervisorId))
                .col(text(People::Status))
                .col(ms(People::CreatedAt))
                .col(ms(People::UpdatedAt))
                .primary_key(&mut tenant_key(People::Table, People::InstitutionId, People::Id))
                .foreign_key(&mut institution_fk(People::Table, People::InstitutionId))
                .foreign_key(&mut tenant_fk(
                    (People::Table, People::InstitutionId, People::UnitId),
                    (Units::Table, Units::InstitutionId, Units::Id),
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut tenant_fk(
                    (People::Table, People::InstitutionId, People::SupervisorId),
                    (People::Table, People::InstitutionId, People::Id),
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        for (name, cols, unique) in [
            ("people_employee_number", vec![People::InstitutionId, People::EmployeeNumber], true),
            ("people_email", vec![People::InstitutionId, People::Email], true),
            ("people_unit", vec![People::InstitutionId, People::UnitId], false),
            // Login looks people up by NIP or e-mail before it knows the institution.
            ("people_login_number", vec![People::EmployeeNumber], false),
            ("people_login_email", vec![People::Email], false),
        ] {
            let mut index = Index::create().name(name).table(People::Table).take();
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            m.create_index(index).await?;
        }

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(id(Accounts::InstitutionId))
                .col(id(Accounts::Id))
                .col(id(Accounts::PersonId))
                .col(text(Accounts::PasswordHash))
                .col(flag(Accounts::MustChangePassword))
                .col(ms(Accounts::PasswordChangedAt))
                .col(ms(Accounts::CreatedAt))
                .primary_key(&mut tenant_key(Accounts::Table, Accounts::InstitutionId, Accounts::Id))
                .foreign_key(&mut tenant_fk(
                    (Accounts::Table, Accounts::InstitutionId, Accounts::PersonId),
                    (People::Table, People::InstitutionId, People::Id),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("accounts_person")
                .table(Accounts::Table)
                .col(Accounts::InstitutionId)
                .col(Accounts::PersonId)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoleGrants::Table)
                .col(id(RoleGrants::InstitutionId))
                .col(id(RoleGrants::Id))
                .col(id(RoleGrants::AccountId))
                .col(text(RoleGrants::Role))
                .col(id_null(RoleGrants::UnitId))
                .col(id_null(RoleGrants::GrantedBy))
                .col(ms(RoleGrants::CreatedAt))
                .primary_key(&mut tenant_key(RoleGrants::Table, RoleGrants::InstitutionId, RoleGrants::Id))
                .foreign_key(&mut tenant_fk(
                    (RoleGrants::Table, RoleGrants::InstitutionId, RoleGrants::AccountId),
                    (Accounts::Table, Accounts::InstitutionId, Accounts::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut tenant_fk(
                    (RoleGrants::Table, RoleGrants::InstitutionId, RoleGrants::UnitId),
                    (Units::Table, Units::InstitutionId, Units::Id),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("role_grants_account")
                .table(RoleGrants::Table)
                .col(RoleGrants::InstitutionId)
                .col(RoleGrants::AccountId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(id(Sessions::InstitutionId))
                .col(id(Sessions::Id))
                .col(id(Sessions::AccountId))
                .col(text(Sessions::TokenHash).unique_key())
                .col(text(Sessions::Client))
                .col(text_null(Sessions::UserAgent))
                .col(text_null(Sessions::Ip))
                .col(ms(Sessions::CreatedAt))
                .col(ms(Sessions::LastSeenAt))
                .col(ms(Sessions::ExpiresAt))
                .col(ms_null(Sessions::RevokedAt))
                .primary_key(&mut tenant_key(Sessions::Table, Sessions::InstitutionId, Sessions::Id))
                .foreign_key(&mut tenant_fk(
                    (Sessions::Table, Sessions::InstitutionId, Sessions::AccountId),
                    (Accounts::Table, Accounts::InstitutionId, Accounts::Id),
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sessions_account")
                .table(Sessions::Table)
                .col(Sessions::InstitutionId)
                .col(Sessions::AccountId)
                .take(),
        )
        .await?;

        // Append-only: no foreign keys, so the trail survives the deletion of what it describes.
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(id(AuditLog::InstitutionId))
                .col(id(AuditLog::Id))
                .col(ms(AuditLog::At))
                .col(id_null(AuditLog::ActorAccountId))
                .col(text(AuditLog::Action))
                .col(text(AuditLog::SubjectType))
                .col(id_null(AuditLog::SubjectId))
                .col(text_null(AuditLog::RequestId))
                .col(text(AuditLog::Detail))
                .primary_key(&mut tenant_key(AuditLog::Table, AuditLog::InstitutionId, AuditLog::Id))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::InstitutionId)
                .col(AuditLog::At)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(ColumnDef::new(LoginThrottle::Key).string_len(120).not_null().primary_key())
                .col(int(LoginThrottle::Failures))
                .col(ms(LoginThrottle::WindowStart))
                .col(ms_null(LoginThrottle::LockedUntil))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WorkLocations::Table)
                .col(id(WorkLocations::InstitutionId))
                .col(id(WorkLocations::Id))
                .col(id_null(WorkLocations::UnitId))
                .col(text(WorkLocations::Name))
                .col(text_null(WorkLocations::Address))
                .col(text(WorkLocations::TimeZone))
                .col(text(WorkLocations::Geofence))
                .col(ms(WorkLocations::CreatedAt))
                .col(ms(WorkLocations::UpdatedAt))
                .primary_key(&mut tenant_key(WorkLocations::Table, WorkLocations::InstitutionId, WorkLocations::Id))
                .foreign_key(&mut institution_fk(WorkLocations::Table, WorkLocations::InstitutionId))
                .foreign_key(&mut tenant_fk(
                    (WorkLocations::Table, WorkLocations::InstitutionId, WorkLocations::UnitId),
                    (Units::Table, Units::InstitutionId, Units::Id),
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Schedules::Table)
                .col(id(Schedules::InstitutionId))
                .col(id(Schedules::Id))
                .col(text(Schedules::Name))
                .col(text(Schedules::Definition))
                .col(flag(Schedules::IsDefault))
                .col(ms(Schedules::CreatedAt))
                .primary_key(&mut tenant_key(Schedules::Table, Schedules::InstitutionId, Schedules::Id))
                .foreign_key(&mut institution_fk(Schedules::Table, Schedules::InstitutionId))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Schedules::Table.into_iden(),
            WorkLocations::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Sessions::Table.into_iden(),
            RoleGrants::Table.into_iden(),
            Accounts::Table.into_iden(),
            People::Table.into_iden(),
            Units::Table.into_iden(),
            Institutions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
