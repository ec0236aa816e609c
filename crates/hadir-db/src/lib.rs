//! Hadir's storage: sea-orm entities, one migration set for SQLite and PostgreSQL, and the object
//! store for photos and files.
//!
//! Every table but the installation-wide `login_throttle` leads its key with `institution_id`,
//! and references between tenant tables are composite foreign keys that include it, so the
//! database itself refuses a person pointing at another institution's unit.
//!
//! Identifiers are UUIDv7 text; instants are Unix milliseconds (`i64`), which compare and index
//! identically on both backends.

pub mod connect;
pub mod entities;
pub mod migration;
pub mod objects;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{
    Backend, ConnectError, LogRestarts, checkpoint, connect, migrate, pending_migrations, writer_connection,
};
pub use objects::{Objects, ObjectsError};
pub use sea_orm;
