//! exitparse: why did that container exit?
//!
//! Reads saved container-state dumps (kubectl describe text, docker/podman/
//! crictl inspect JSON, Pod JSON/YAML, docker ps / kubectl get pods listings,
//! support bundles) and turns every container's state into a classified
//! [`output::Record`].
//!
//! ```
//! use exitparse::format::{self, Chunk, Parser};
//! let text = b"Name:         web\nNamespace:    default\nContainers:\n  app:\n    State:          Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n";
//! let parsed = format::parse(Parser::Describe, Chunk::whole(text));
//! assert_eq!(parsed.observations[0].state.exit_code, Some(137));
//! ```

pub mod bundle;
pub mod classify;
pub mod cli;
pub mod diag;
pub mod engine;
pub mod explain;
pub mod filter;
pub mod format;
pub mod gate;
pub mod input;
pub mod man;
pub mod model;
pub mod output;
pub mod redact;
pub mod schema;
pub mod shard;
pub mod simd;
pub mod term;
#[cfg(test)]
mod test_support;
pub mod timefmt;
