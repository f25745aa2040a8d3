//! The integration tests: one binary, one module per area. Each runs the real
//! `exitparse` binary (see `util`).

#[allow(dead_code)]
mod util;

mod bundles;
mod cli;
mod describe;
mod engine;
mod grammar;
mod listings;
mod people;
mod realworld;
mod structured;
