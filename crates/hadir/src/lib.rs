//! The `hadir` binary's library half: configuration and the commands, so integration tests can
//! start exactly what `hadir serve` starts.

pub mod cli;
pub mod commands;
pub mod config;
