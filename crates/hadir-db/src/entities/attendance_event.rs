//! One check-in or check-out attempt and how it was judged. `attempt_id` is the phone's UUID for
//! the attempt (unique: a retry returns `answer`, the first answer); `signals` is a JSON array;
//! `outcome` is `accepted`, `needs_review` or `rejected`, and a review turns `needs_review` into
//! one of the other two. Where the institution wants two reviews, `first_reviewed_by` records the
//! first approval while the event still waits for the second.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub institution_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub attempt_id: String,
    pub person_id: String,
    pub kind: String,
    pub mode: String,
    pub outcome: String,
    pub occurred_at: i64,
    pub received_at: i64,
    pub device_time: i64,
    pub offline: bool,
    pub local_date: String,
    pub in_slot: Option<String>,
    pub location_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub device_id: Option<String>,
    pub photo_key: Option<String>,
    pub qr_slot: Option<i64>,
    pub signals: String,
    pub request_id: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub review_reason: Option<String>,
    pub answer: String,
    pub first_reviewed_by: Option<String>,
    pub first_reviewed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// `outcome <> 'rejected'`: the condition of the partial indexes that hold only events that count
/// (`events_counted_by_day`, `events_tokens_used`). A query reaches one of them only by repeating
/// it word for word, written into the SQL rather than bound: SQLite does not derive it from
/// `outcome = 'accepted'`, and neither SQLite nor PostgreSQL's generic plans can see whether a
/// bound value satisfies it.
pub fn counted() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait};
    Expr::col(Column::Outcome).ne(Expr::cust("'rejected'"))
}
