//! Integration tests: the real server on port 0, driven over HTTP, against a fresh SQLite
//! database and — when `HADIR_TEST_DATABASE_URL` is set — a fresh PostgreSQL database; and the
//! real `hadir` binary for the command line.

mod attendance;
mod auth;
mod bad_input;
mod calendar;
mod cli;
mod devices;
mod downloads;
mod isolation;
mod leave;
mod operations;
mod people;
mod privacy;
mod support;
