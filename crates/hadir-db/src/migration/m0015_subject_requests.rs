//! Data-subject requests and their status trail (UU PDP Ps 14: requests are recorded).

use super::col::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SubjectRequests {
    Table,
    InstitutionId,
    Id,
    PersonId,
    Kind,
    Detail,
    Status,
    FiledAt,
    DueAt,
    ClosedAt,
    Answer,
}

#[derive(DeriveIden, Clone, Copy)]
enum SubjectRequestSteps {
    Table,
    InstitutionId,
    Id,
    RequestId,
    At,
    ActorAccountId,
    Status,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SubjectRequestSteps as S;
        use SubjectRequests as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(id(R::InstitutionId))
                .col(id(R::Id))
                .col(id(R::PersonId))
                .col(text(R::Kind))
                .col(text(R::Detail))
                .col(text(R::Status))
                .col(ms(R::FiledAt))
                .col(ms_null(R::DueAt))
                .col(ms_null(R::ClosedAt))
                .col(text_null(R::Answer))
                .primary_key(Index::create().col(R::InstitutionId).col(R::Id))
                .foreign_key(&mut person_fk(R::Table, R::PersonId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("subject_requests_open").table(R::Table).col(R::InstitutionId).col(R::Status).take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(id(S::InstitutionId))
                .col(id(S::Id))
                .col(id(S::RequestId))
                .col(ms(S::At))
                .col(id(S::ActorAccountId))
                .col(text(S::Status))
                .col(text_null(S::Note))
                .primary_key(Index::create().col(S::InstitutionId).col(S::Id))
                .foreign_key(
                    &mut ForeignKey::create()
                        .from(S::Table, (S::InstitutionId, S::RequestId))
                        .to(R::Table, (R::InstitutionId, R::Id))
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SubjectRequestSteps::Table).take()).await?;
        m.drop_table(Table::drop().table(SubjectRequests::Table).take()).await
    }
}
