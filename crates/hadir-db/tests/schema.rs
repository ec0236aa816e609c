//! The migration set on both backends: it applies, is idempotent, and the schema enforces
//! tenant integrity on its own.

use hadir_db::entities::{institution, person, unit};
use hadir_db::{db_test, migrate, pending_migrations};
use sea_orm::{ActiveValue::Set, EntityTrait};

fn institution_row(id: &str) -> institution::ActiveModel {
    institution::ActiveModel {
        id: Set(id.into()),
        slug: Set(format!("inst-{id}")),
        name: Set("Institution".into()),
        kind: Set("government".into()),
        time_zone: Set("Asia/Jakarta".into()),
        created_at: Set(0),
    }
}

db_test!(migrations_apply_once_and_nothing_is_pending, |db| {
    let conn = db.connect().await;
    assert!(pending_migrations(&conn).await.unwrap().is_empty());
    migrate(&conn).await.expect("running migrations again changes nothing");
});

db_test!(a_person_cannot_point_at_another_institutions_unit, |db| {
    let conn = db.connect().await;
    for id in ["a", "b"] {
        institution::Entity::insert(institution_row(id)).exec_without_returning(&conn).await.unwrap();
    }
    unit::Entity::insert(unit::ActiveModel {
        institution_id: Set("b".into()),
        id: Set("unit-b".into()),
        parent_id: Set(None),
        code: Set("B".into()),
        name: Set("Unit of B".into()),
        kind: Set("opd".into()),
        active: Set(true),
        created_at: Set(0),
        updated_at: Set(0),
    })
    .exec_without_returning(&conn)
    .await
    .unwrap();
    let person_of_a = |unit_id: Option<&str>| person::ActiveModel {
        institution_id: Set("a".into()),
        id: Set(uuid::Uuid::new_v4().to_string()),
        employee_number: Set(uuid::Uuid::new_v4().to_string()),
        employment_type: Set("non_asn".into()),
        full_name: Set("Person".into()),
        nik: Set(None),
        nik_index: Set(None),
        email: Set(None),
        phone: Set(None),
        unit_id: Set(unit_id.map(Into::into)),
        position: Set(None),
        supervisor_id: Set(None),
        status: Set("active".into()),
        created_at: Set(0),
        updated_at: Set(0),
        religion: Set(None),
    };
    let refused = person::Entity::insert(person_of_a(Some("unit-b"))).exec_without_returning(&conn).await;
    assert!(refused.is_err(), "composite foreign key must refuse a cross-tenant unit");
    person::Entity::insert(person_of_a(None)).exec_without_returning(&conn).await.unwrap();
});

db_test!(entries_written_before_the_audit_chain_are_chained_by_its_migration, |db| {
    use hadir_db::entities::{audit_entry, audit_head};
    use hadir_db::migration::Migrator;
    use hadir_domain::audit_chain::verify;
    use sea_orm::{ConnectionTrait, QueryOrder};
    use sea_orm_migration::MigratorTrait;

    let conn = db.connect().await;
    institution::Entity::insert(institution_row("a")).exec_without_returning(&conn).await.unwrap();
    // Back to the schema before the chain, with two entries written then.
    let all = Migrator::migrations();
    let chain = all.iter().position(|m| m.name() == "m0011_audit_chain").expect("the chain's migration");
    Migrator::down(&conn, Some((all.len() - chain) as u32)).await.unwrap();
    for (id, at) in [("e1", 10), ("e2", 20)] {
        conn.execute_unprepared(&format!(
            "INSERT INTO audit_log (institution_id, id, at, actor_account_id, action, subject_type, subject_id, \
             request_id, detail) VALUES ('a', '{id}', {at}, NULL, 'unit.create', 'unit', NULL, NULL, '{{}}')"
        ))
        .await
        .unwrap();
    }
    migrate(&conn).await.unwrap();

    let entries = audit_entry::Entity::find().order_by_asc(audit_entry::Column::Seq).all(&conn).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [Some(1), Some(2)]);
    let head = audit_head::Entity::find_by_id("a".to_string()).one(&conn).await.unwrap().unwrap();
    let links = entries.iter().map(audit_entry::Model::link);
    assert_eq!(verify(links, (head.seq, &head.hash)), Ok(2));
});

/// What `PRAGMA wal_checkpoint(PASSIVE)` reports: frames in the log, and how many are copied back.
async fn log_frames(db: &sea_orm::DatabaseConnection) -> (i64, i64) {
    use sea_orm::ConnectionTrait;
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "PRAGMA wal_checkpoint(PASSIVE)"));
    let row = row.await.unwrap().unwrap();
    (row.try_get_by_index(1).unwrap(), row.try_get_by_index(2).unwrap())
}

/// The check-in writer's commits never checkpoint (SQLite would, every 1,000 pages of log); a
/// checkpoint asked for on the main pool copies the whole log back.
#[tokio::test]
async fn the_sqlite_writer_connection_leaves_checkpoints_to_the_main_pool() {
    use sea_orm::ConnectionTrait;
    let test = hadir_db::testing::TestDatabase::fresh(hadir_db::Backend::Sqlite).await;
    let main = test.connect().await;
    let writer = hadir_db::writer_connection(&main);
    writer.execute_unprepared("CREATE TABLE filler (bytes BLOB)").await.unwrap();
    // 1,500 pages of 4 KiB, one commit at a time.
    for _ in 0..150 {
        writer
            .execute_unprepared(
                "INSERT INTO filler SELECT randomblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n)",
            )
            .await
            .unwrap();
    }
    hadir_db::checkpoint(&main, &writer, &hadir_db::LogRestarts::default()).await.unwrap();
    let (frames, copied) = log_frames(&main).await;
    assert!(frames >= 1_500, "the writer's commits checkpointed: {frames} frames left in the log");
    assert_eq!(frames, copied, "the checkpoint copied every frame back");
    test.drop_database().await;
}
