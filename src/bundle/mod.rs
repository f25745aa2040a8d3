//! Evidence from the other files of a support bundle: kernel OOM-killer
//! lines, kubelet lines and the last words of container logs.
//!
//! A bundle is one directory or archive named on the command line (an
//! archive inside it is a bundle of its own). Its dumps are parsed as
//! anywhere else, but their records are held ([`Scope`]) while its evidence
//! files are read into a small [`join::Index`]; when the bundle ends the two
//! are joined ([`join::join`]), the changed records classified again, and
//! all of them written in input order. The engine's hook is in
//! `src/engine/mod.rs` (`Item::Open`, `Item::Evidence`, `Item::Close`).

pub mod cgroup;
pub mod events;
pub mod evidence;
pub mod findings;
pub mod join;
pub mod kernel;
pub mod kubelet;
pub mod kubelet_ev;
pub mod layout;
pub mod lines;
pub mod prefix;
pub mod read;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::output::Record;
use evidence::Evidence;
use layout::Layout;

/// One open bundle: its records, held until it ends, and its evidence.
pub struct Scope {
    pub path: Arc<str>,
    /// Records in input order; `true` when already joined (an inner bundle's).
    held: Vec<(Record, bool)>,
    index: join::Index,
    layouts: BTreeSet<&'static str>,
    evidence_files: u64,
    /// Evidence dropped because the index reached its bound.
    dropped: u64,
}

/// What a finished bundle hands back.
pub struct Finished {
    pub records: Vec<Record>,
    /// `(path, line, message)` for `--verbose`.
    pub told: join::Told,
}

impl Scope {
    pub fn new(path: Arc<str>) -> Scope {
        Scope {
            path,
            held: Vec::new(),
            index: join::Index::default(),
            layouts: BTreeSet::new(),
            evidence_files: 0,
            dropped: 0,
        }
    }

    /// Records of this bundle's dumps, not joined yet.
    pub fn hold(&mut self, records: impl IntoIterator<Item = Record>) {
        self.held.extend(records.into_iter().map(|r| (r, false)));
    }

    /// Records of an inner bundle, joined with its own evidence already.
    pub fn hold_joined(&mut self, records: impl IntoIterator<Item = Record>) {
        self.held.extend(records.into_iter().map(|r| (r, true)));
    }

    /// Records held so far.
    pub fn held(&self) -> usize {
        self.held.len()
    }

    /// Notes the path of a file of this bundle (for the layout told).
    pub fn saw(&mut self, path: &str) {
        if let Some(l) = Layout::of(path) {
            self.layouts.insert(l.name());
        }
    }

    /// The evidence of one file.
    pub fn add(&mut self, evidence: Vec<Evidence>) {
        self.evidence_files += 1;
        for e in evidence {
            if !self.index.add(e) {
                self.dropped += 1;
            }
        }
    }

    /// Joins, reclassifies what changed, and hands the records back in
    /// input order.
    pub fn finish(self, verbose: bool) -> Finished {
        let mut fresh_at = Vec::new();
        let mut fresh = Vec::new();
        let mut out: Vec<Option<Record>> = Vec::with_capacity(self.held.len());
        for (i, (r, joined)) in self.held.into_iter().enumerate() {
            if joined {
                out.push(Some(r));
            } else {
                fresh_at.push(i);
                fresh.push(r);
                out.push(None);
            }
        }
        let (changed, mut told) = join::join(&self.index, &mut fresh, verbose);
        for i in changed {
            let r = &mut fresh[i];
            r.classification = crate::classify::classify(&r.observation);
        }
        for (i, r) in fresh_at.into_iter().zip(fresh) {
            out[i] = Some(r);
        }
        // A directory or archive with nothing to join says nothing.
        if verbose && (self.evidence_files > 0 || !self.layouts.is_empty()) {
            let layouts: Vec<&str> = self.layouts.iter().copied().collect();
            let layout = if layouts.is_empty() {
                "no known layout".to_string()
            } else {
                layouts.join(", ")
            };
            told.insert(
                0,
                (
                    self.path.to_string(),
                    0,
                    format!(
                        "bundle ({layout}): {} evidence file{} read",
                        self.evidence_files,
                        if self.evidence_files == 1 { "" } else { "s" }
                    ),
                ),
            );
            if self.dropped > 0 {
                told.push((
                    self.path.to_string(),
                    0,
                    format!(
                        "{} pieces of evidence over the bundle's bound were not joined",
                        self.dropped
                    ),
                ));
            }
        }
        Finished {
            records: out.into_iter().flatten().collect(),
            told,
        }
    }
}

/// Whether an evidence string names another file of the bundle (`kernel
/// PATH:LINE: …`, `kubelet …`, `log …`, `event PATH:LINE: …`): the verdicts
/// `exitparse summary` counts as resting on joined evidence.
pub fn is_joined_evidence(e: &str) -> bool {
    if e.starts_with("kernel ") || e.starts_with("kubelet ") || e.starts_with("log ") {
        return true;
    }
    // "event PATH:LINE: Reason: …" against "event Reason: …".
    e.strip_prefix("event ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(place, _)| place.rsplit_once(':'))
        .is_some_and(|(_, line)| !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_evidence_names_a_file() {
        assert!(is_joined_evidence(
            "kernel n/dmesg:12: Memory cgroup out of memory: Killed process 1 (x)"
        ));
        assert!(is_joined_evidence(
            "event b/events/shop.json:4: OOMKilling: Killed process 7"
        ));
        assert!(!is_joined_evidence(
            "event OOMKilling: Memory cgroup out of memory: Killed process 7"
        ));
        assert!(!is_joined_evidence(
            "event Unhealthy: Liveness probe failed: HTTP probe failed: 10:12: x"
        ));
        assert!(!is_joined_evidence("exit_code=137"));
    }
}
