//! The integration tests: one binary, one module per area. Each runs the real
//! `exitparse` binary (see `util`).

mod dumps;
mod pack;
#[allow(dead_code)]
mod util;

mod bundles;
mod cli;
mod describe;
mod engine;
mod grammar;
mod hostile;
mod json_fast;
mod kinds;
mod listings;
mod people;
mod realworld;
mod redact;
mod structured;
mod terminal;
mod warehouse;
mod writer;
