//! Bundles joined by the walker that reads their archive.
//!
//! An archive is a bundle (and so is every archive inside it). Its walker
//! keeps the bundle's items itself ([`Local`]) instead of sending them to
//! the writer: it waits for their results in order, holds the records,
//! reads the evidence, joins when the bundle ends, and renders the joined
//! records on the pool. The writer then gets one [`Joined`] per archive:
//! what the items told, in order, then the records ready to write. So the
//! joins of archives read side by side run side by side, and the writer
//! only writes.
//!
//! The writer's side is mirrored step for step (`Writer::take`): the same
//! notes in the same order, the same records in the same order, the same
//! counts. Results are taken as they come (`settle`), so the charges of
//! finished members go back at once; a walker short of budget waits for
//! its own members first, then for the writer, never for anything else.

use std::collections::VecDeque;
use std::io;
use std::sync::mpsc::TryRecvError;

use super::{Feeder, Item, Output, big, evidence_output, render_held, told_notes, work};
use crate::bundle;

/// What the writer tells and writes for one archive its walker joined.
pub struct Joined {
    /// Each item's diagnostics, byte counts and redaction tallies, in
    /// order (their records are in `last`); `bool` as for `Item::Pending`.
    pub steps: Vec<(Output, bool)>,
    /// The join's `--verbose` lines, told before the records.
    pub notes: Vec<work::Note>,
    /// The joined records, filtered and rendered (or kept whole for a
    /// collecting format).
    pub last: Output,
}

/// The bundles a walker has open, innermost last, and what they told.
#[derive(Default)]
pub struct Local {
    scopes: Vec<bundle::Scope>,
    steps: Vec<(Output, bool)>,
    /// Items not taken yet, in order.
    waiting: VecDeque<Item>,
}

impl Local {
    /// A bundle is open, or items wait: what comes next is kept here too.
    fn active(&self) -> bool {
        !self.scopes.is_empty() || !self.waiting.is_empty()
    }
}

/// Bytes a record held whole (collecting formats) is charged, about what a
/// classified record with its evidence takes.
const RECORD_GUESS: u64 = 2048;

impl Feeder {
    /// Hands `item` on: kept when this walker has a bundle open (or one
    /// begins), else sent to the writer. False once the writer is gone.
    pub(super) fn send(&mut self, item: Item) -> bool {
        let keep = self.walker && (self.local.active() || matches!(item, Item::Open(_)));
        if !keep {
            return self.tx.send(item).is_ok();
        }
        self.local.waiting.push_back(item);
        self.settle(false)
    }

    /// Charges `n` bytes of a member to this feeder's budget. A walker
    /// short of room first takes the results of its own members (which
    /// gives their charges back), then waits for the writer.
    pub(super) fn charge(&mut self, n: u64) -> super::Charge {
        if self.walker && !self.local.waiting.is_empty() && !self.budget.fits(n) {
            self.settle(true);
        }
        self.budget.acquire(n)
    }

    /// The archive is read: bundles it left open (a walker that failed
    /// mid-archive) are joined and handed on, as the writer would.
    pub(super) fn end_local(&mut self) {
        if !self.settle(true) {
            return;
        }
        while !self.local.scopes.is_empty() {
            if !self.close() {
                return;
            }
        }
    }

    /// Takes the waiting items in order: all of them (`block`), or as long
    /// as their results are ready. False once the writer is gone.
    fn settle(&mut self, block: bool) -> bool {
        while let Some(item) = self.local.waiting.pop_front() {
            let item = match item {
                Item::Pending(rx, charge, plain) if !block => match rx.try_recv() {
                    Ok(out) => {
                        drop(charge);
                        self.keep(out, plain);
                        continue;
                    }
                    Err(TryRecvError::Empty) => {
                        self.local
                            .waiting
                            .push_front(Item::Pending(rx, charge, plain));
                        return true;
                    }
                    Err(TryRecvError::Disconnected) => Item::Pending(rx, charge, plain),
                },
                Item::EvidencePending(path, rx, charge) if !block => match rx.try_recv() {
                    Ok(read) => {
                        self.evidence(path, read, charge.bytes);
                        continue;
                    }
                    Err(TryRecvError::Empty) => {
                        self.local
                            .waiting
                            .push_front(Item::EvidencePending(path, rx, charge));
                        return true;
                    }
                    Err(TryRecvError::Disconnected) => Item::EvidencePending(path, rx, charge),
                },
                other => other,
            };
            if !self.apply(item) {
                return false;
            }
        }
        true
    }

    /// One item, as `Writer::take` does it (waiting for its result).
    fn apply(&mut self, item: Item) -> bool {
        match item {
            Item::Done(out) => self.keep(out, true),
            Item::Resolved(out, plain) => self.keep(out, plain),
            Item::Pending(rx, _charge, plain) => {
                let out = rx.recv().unwrap_or_else(|_| {
                    Output::problem(
                        std::sync::Arc::from("-"),
                        "internal error: a worker thread died".to_string(),
                    )
                });
                self.keep(out, plain);
            }
            Item::Big(unit, _charge, plain) => {
                let shared = self.shared.clone();
                let ctx = if self.local.scopes.is_empty() && self.base_depth == 0 {
                    &shared.ctxs.plain
                } else {
                    &shared.ctxs.held
                };
                let _ = big(&shared.pool, ctx, unit, plain, &mut |out, plain| {
                    self.keep(out, plain);
                    Ok::<(), io::Error>(())
                });
            }
            Item::Open(path) => self.local.scopes.push(bundle::Scope::new(path)),
            Item::EvidencePending(path, rx, charge) => {
                let read = rx.recv().unwrap_or_else(|_| bundle::read::Read1 {
                    evidence: Vec::new(),
                    notes: vec![(0, "internal error: a worker thread died".to_string())],
                });
                self.evidence(path, read, charge.bytes);
            }
            Item::Evidence(path, read, bytes) => self.evidence(path, read, bytes),
            Item::Close => return self.close(),
            // Never made inside an archive (streams are stdin's, nested
            // archives are walked in place); handed on as they are.
            item @ (Item::Stream(_) | Item::Archive(_) | Item::Joined(..)) => {
                return self.tx.send(item).is_ok();
            }
        }
        true
    }

    /// One result: its records held by the innermost open bundle, what it
    /// told kept for the writer. With no bundle open (items after the
    /// archive's end), it goes to the writer as it is.
    fn keep(&mut self, mut out: Output, plain: bool) {
        let Some(scope) = self.local.scopes.last_mut() else {
            let _ = self.tx.send(Item::Resolved(out, plain));
            return;
        };
        scope.hold(std::mem::take(&mut out.records));
        // Inside a bundle the writer counts neither records nor matches
        // (the held settings render and judge nothing).
        out.rendered = Vec::new();
        out.count = 0;
        out.matched = None;
        if out.notes.is_empty()
            && let Some((prev, p)) = self.local.steps.last_mut()
            && *p == plain
        {
            // Nothing to tell: only the progress counts, added up.
            prev.files += out.files;
            prev.bytes += out.bytes;
            if let Some(t) = &out.redacted {
                prev.redacted.get_or_insert_default().add(t);
            }
            return;
        }
        self.local.steps.push((out, plain));
    }

    /// The evidence of one file, as `Writer::evidence` takes it.
    fn evidence(&mut self, path: std::sync::Arc<str>, read: bundle::read::Read1, bytes: u64) {
        let out = evidence_output(self.local.scopes.last_mut(), path, read, bytes);
        self.keep(out, true);
    }

    /// The innermost bundle ends: joined; handed to the one around it, or
    /// (the archive's own) rendered on the pool and sent to the writer.
    fn close(&mut self) -> bool {
        let Some(scope) = self.local.scopes.pop() else {
            return true;
        };
        let finished = scope.finish(self.shared.ctxs.plain.verbose);
        let notes = told_notes(finished.told);
        if let Some(outer) = self.local.scopes.last_mut() {
            outer.hold_joined(finished.records);
            self.keep(
                Output {
                    notes,
                    ..Output::default()
                },
                true,
            );
            return true;
        }
        let last = render_held(&self.shared.pool, &self.shared.ctxs.plain, finished.records);
        let steps = std::mem::take(&mut self.local.steps);
        // Charged without waiting: items after it may hold charges this
        // walker gives back only later; the next member waits instead.
        let size = last.rendered.len() as u64 + last.records.len() as u64 * RECORD_GUESS;
        let charge = self.budget.charge_now(size);
        self.tx
            .send(Item::Joined(
                Box::new(Joined { steps, notes, last }),
                charge,
            ))
            .is_ok()
    }
}
