//! The audit log becomes a hash chain per institution: each entry gets its sequence number, the
//! previous entry's hash and its own; `audit_heads` keeps each chain's last number and hash apart
//! from the entries, so a removed tail is noticed too. Entries written before this migration are
//! chained here, oldest first.

use super::col::*;
use hadir_domain::audit_chain::{GENESIS, Link};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    InstitutionId,
    Id,
    At,
    Seq,
    PrevHash,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditHeads {
    Table,
    InstitutionId,
    Seq,
    Hash,
}

#[derive(FromQueryResult)]
struct Old {
    institution_id: String,
    id: String,
    at: i64,
    actor_account_id: Option<String>,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    request_id: Option<String>,
    detail: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AuditHeads as H;
        use AuditLog as A;
        for column in [ColumnDef::new(A::Seq).big_integer().null().take(), text_null(A::PrevHash), text_null(A::Hash)] {
            m.alter_table(Table::alter().table(A::Table).add_column(column).take()).await?;
        }
        m.create_index(
            Index::create().name("audit_chain").table(A::Table).col(A::InstitutionId).col(A::Seq).unique().take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(H::Table)
                .col(id(H::InstitutionId).primary_key())
                .col(ms(H::Seq))
                .col(text(H::Hash))
                .take(),
        )
        .await?;

        let db = m.get_connection();
        let backend = db.get_database_backend();
        let select = Query::select()
            .columns([
                Alias::new("institution_id"),
                Alias::new("id"),
                Alias::new("at"),
                Alias::new("actor_account_id"),
                Alias::new("action"),
                Alias::new("subject_type"),
                Alias::new("subject_id"),
                Alias::new("request_id"),
                Alias::new("detail"),
            ])
            .from(A::Table)
            .order_by(A::InstitutionId, Order::Asc)
            .order_by(A::At, Order::Asc)
            .order_by(A::Id, Order::Asc)
            .to_owned();
        let old = Old::find_by_statement(backend.build(&select)).all(db).await?;
        let mut heads: Vec<(String, i64, String)> = Vec::new();
        for e in &old {
            let (seq, prev) = match heads.last() {
                Some((inst, seq, hash)) if inst == &e.institution_id => (seq + 1, hash.clone()),
                _ => (1, GENESIS.to_string()),
            };
            let hash = Link {
                institution_id: &e.institution_id,
                seq,
                id: &e.id,
                at: e.at,
                actor_account_id: e.actor_account_id.as_deref(),
                action: &e.action,
                subject_type: &e.subject_type,
                subject_id: e.subject_id.as_deref(),
                request_id: e.request_id.as_deref(),
                detail: &e.detail,
                prev_hash: &prev,
            }
            .hash();
            let update = Query::update()
                .table(A::Table)
                .value(A::Seq, seq)
                .value(A::PrevHash, prev)
                .value(A::Hash, hash.clone())
                .and_where(Expr::col(A::InstitutionId).eq(e.institution_id.as_str()))
                .and_where(Expr::col(A::Id).eq(e.id.as_str()))
                .to_owned();
            db.execute(&update).await?;
            match heads.last_mut() {
                Some(head) if head.0 == e.institution_id => *head = (e.institution_id.clone(), seq, hash),
                _ => heads.push((e.institution_id.clone(), seq, hash)),
            }
        }
        for (institution_id, seq, hash) in heads {
            let insert = Query::insert()
                .into_table(H::Table)
                .columns([H::InstitutionId, H::Seq, H::Hash])
                .values_panic([institution_id.into(), seq.into(), hash.into()])
                .to_owned();
            db.execute(&insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use AuditLog as A;
        m.drop_table(Table::drop().table(AuditHeads::Table).take()).await?;
        m.drop_index(Index::drop().name("audit_chain").table(A::Table).to_owned()).await?;
        for column in [A::Hash, A::PrevHash, A::Seq] {
            m.alter_table(Table::alter().table(A::Table).drop_column(column).take()).await?;
        }
        Ok(())
    }
}
