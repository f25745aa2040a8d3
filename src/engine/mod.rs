//! The batch engine: read every input, detect, parse, classify, write, in
//! input order.
//!
//! Three parties:
//! - a **producer** thread walks the command line's paths in order
//!   ([`input::discover`]: files, sorted directories, archive members) and
//!   hands each small input to the rayon pool as soon as it is found;
//! - the **pool** (`--jobs` threads) decodes, parses, classifies, filters
//!   and renders each input into its own buffer;
//! - the **writer** (the calling thread) takes the results in input order
//!   and writes whole buffers through one writer, so output never
//!   interleaves and is the same bytes whatever `--jobs` is. Large inputs
//!   are split at record boundaries and parsed by the whole pool when the
//!   writer reaches them ([`split`]); streams are parsed batch by batch
//!   ([`stream`]).
//!
//! Memory stays bounded: at most [`QUEUE`] inputs and [`BUDGET`] bytes of
//! them are in flight ahead of the writer. Every diagnostic is told by the
//! writer through [`diag`], in input order, after the records before it.
//!
//! Bundles (directories and archives, see [`crate::bundle`]) are the one
//! exception to writing as soon as possible: their records are held, not
//! rendered, until the bundle ends, while the producer reads the bundle's
//! evidence files (logs, node journals, events) into a small index; then
//! the writer joins the two and writes the records in input order
//! (`Item::Open`, `Item::Evidence`, `Item::Close`). An archive's bundle
//! is held and joined by the walker that reads it instead ([`local`]), so
//! archives read side by side are joined side by side; the writer gets
//! its records rendered (`Item::Joined`). `--no-joins` turns this off.

mod budget;
mod local;
mod long_line;
mod progress;
pub mod split;
mod stream;
pub mod work;

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};

use rayon::ThreadPool;

use crate::bundle;
use crate::cli::RunArgs;
use crate::diag;
use crate::filter::Filter;
use crate::gate::FailOn;
use crate::input::{self, Found, Limits, Unit};
use crate::output::{self, CollectFormat, Mode};
use crate::redact::{self, Redactor, Tally};
use crate::shard::Shard;
use budget::{Budget, Charge};
use progress::Progress;
use split::Text;
use work::{Ctx, Holds, NoteKind, Output};

/// Inputs in flight between the producer and the writer.
const QUEUE: usize = 256;
/// Bytes of inputs in flight between the producer and the writer (one
/// input larger than this still goes, alone).
const BUDGET: u64 = 128 << 20;

/// What the writer takes next, in input order.
enum Item {
    /// A small input being parsed by the pool; `bool`: a plain file, whose
    /// bytes move the progress bar (an archive's members move it by the
    /// compressed bytes read instead).
    Pending(Receiver<Output>, Charge, bool),
    /// A large input, parsed piece by piece when its turn comes.
    Big(Unit, Charge, bool),
    /// A stream, parsed batch by batch when its turn comes.
    Stream(input::Stream),
    /// A result known without parsing (unreadable, skipped).
    Done(Output),
    /// A bundle begins: hold its records until its `Close`.
    Open(Arc<str>),
    /// The evidence of one file of the open bundle, and its size.
    Evidence(Arc<str>, bundle::read::Read1, u64),
    /// The same, being read by the pool (a mapped file).
    EvidencePending(Arc<str>, Receiver<bundle::read::Read1>, Charge),
    /// The innermost open bundle ends: join, write (or hand up).
    Close,
    /// An archive being read by a walker: its items, in order.
    Archive(Feed),
    /// A result its walker already waited for; `bool` as for `Pending`.
    Resolved(Output, bool),
    /// A bundle its archive walker joined and rendered itself (see
    /// [`local`]); charged by its rendered size.
    Joined(Box<local::Joined>, Charge),
}

/// The channel of one archive walker, and the budget it charges (closed
/// when the writer drops the channel, so a walker waiting for room wakes
/// up to find the writer gone).
struct Feed {
    rx: Receiver<Item>,
    budget: Arc<Budget>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.budget.close();
    }
}

/// What a run found besides its output.
#[derive(Debug, Default)]
pub struct Report {
    /// Records (after filters) that tripped `--fail-on`.
    pub matched: u64,
    /// The first of them, named for the one-line reason.
    pub first_match: Option<String>,
}

/// Parses every input named in `args` and writes the records to `out`.
/// Problems are reported through [`diag`]; the returned error is only for
/// failures to write the output (a closed pipe among them: the caller ends
/// quietly).
///
/// A `--redact-rules` file that cannot be used is an `InvalidInput` error
/// before any input is read (the binary checks it first, for exit status 2).
pub fn run(args: &RunArgs, out: &mut dyn Write) -> io::Result<()> {
    let redact = redact::from_args(args)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    run_redacted(args, redact, out).map(|_| ())
}

/// [`run`] with the redaction rules already loaded (`None`: `--no-redact`),
/// telling what `--fail-on` found. `args.fail_on` must be valid (main.rs
/// checks it first; a bad value here means no gate).
pub fn run_redacted(
    args: &RunArgs,
    redact: Option<Arc<Redactor>>,
    out: &mut dyn Write,
) -> io::Result<Report> {
    let jobs = cap_jobs(args.jobs.unwrap_or(0));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("exitparse-{i}"))
        .build()
        .map_err(|e| io::Error::other(format!("starting {jobs} worker threads: {e}")))?;
    let pool = Arc::new(pool);
    let (render, collect) = match output::mode_for(args) {
        Mode::Stream(r) => (Some(r), None),
        Mode::Collect(c) => (None, Some(c)),
    };
    // main.rs validates the filter flags before calling us; a bad value
    // here can only mean a library caller skipped that, so no filtering.
    let filter = Filter::from_args(args).ok().filter(|f| !f.is_empty());
    let ctx = Arc::new(Ctx {
        render,
        filter,
        forced: args.input_format.map(|f| f.parser()),
        forced_name: args
            .input_format
            .and_then(|f| clap::ValueEnum::to_possible_value(&f))
            .map(|v| v.get_name().to_string())
            .unwrap_or_default(),
        verbose: args.verbose,
        redact,
        fail_on: FailOn::from_args(&args.fail_on).ok().flatten(),
    });
    // Bundle records are judged only once joined: workers hand them back
    // whole, and the writer filters and renders them.
    // `--fail-on` is judged there too, after the joins.
    let held = Arc::new(Ctx {
        render: None,
        filter: None,
        forced: ctx.forced,
        forced_name: ctx.forced_name.clone(),
        verbose: ctx.verbose,
        redact: ctx.redact.clone(),
        fail_on: None,
    });
    let joins = !args.no_joins;
    let limits = Limits::from_args(&args.limits);
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };

    let shard = args.shard;
    let budget = Arc::new(Budget::new(BUDGET));
    // Walkers beyond the cores add no speed (a walker alone hands its
    // members to the parse pool), only bundles held at once: each walker
    // holds its archive's records until the archive's joins.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let walkers = if jobs == 0 { 0 } else { jobs.min(cores) };
    let inflate = rayon::ThreadPoolBuilder::new()
        .num_threads(walkers)
        .thread_name(|i| format!("exitparse-inflate-{i}"))
        // Nested archives recurse a few frames per level, up to
        // `archive::DEPTH_CAP` levels; room to spare, touched only as deep
        // as an input really goes.
        .stack_size(INPUT_STACK)
        .build()
        .map_err(|e| io::Error::other(format!("starting {walkers} inflate threads: {e}")))?;
    let shared = Arc::new(Shared {
        ctxs: Ctxs {
            plain: ctx.clone(),
            held: held.clone(),
            joins,
        },
        pool: pool.clone(),
        feed_budget: (FEED_TOTAL / inflate.current_num_threads() as u64).clamp(FEED_MIN, BUDGET),
        inflate,
        limits,
        walking: AtomicUsize::new(0),
    });
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    let producer = {
        let feeder = Feeder {
            shared: shared.clone(),
            tx,
            budget: budget.clone(),
            depth: 0,
            walker: false,
            base_depth: 0,
            local: local::Local::default(),
        };
        std::thread::Builder::new()
            .name("exitparse-input".into())
            // An archive read from stdin or a FIFO is walked here, with
            // the same room as the inflate pool's threads.
            .stack_size(INPUT_STACK)
            .spawn(move || produce(&paths, shard, &shared, feeder))?
    };

    let mut writer = Writer {
        out,
        collect,
        progress: Progress::new(!args.no_progress, &args.paths),
        stats: args.stats,
        redacted: Tally::default(),
        report: Report::default(),
        scopes: Vec::new(),
        held: held.clone(),
    };
    let result = writer.drain(rx, &pool, &ctx, limits);
    // Wake a producer waiting for room that will never come.
    budget.close();
    if result.is_ok() {
        let _ = producer.join();
    }
    result.map(|()| writer.report)
}

/// Stack of the threads that walk archives (see `input::archive::DEPTH_CAP`).
const INPUT_STACK: usize = 64 << 20;

/// Worker threads per core at most: more only adds stacks and switching
/// (parsing is CPU-bound), and a million threads never start at all.
const JOBS_PER_CORE: usize = 8;

/// `--jobs` within [`JOBS_PER_CORE`] times the cores (0: rayon's default,
/// one per core). A request above the cap is told and lowered.
fn cap_jobs(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = cores * JOBS_PER_CORE;
    if jobs > cap {
        diag::remark(&format!(
            "--jobs {jobs} lowered to {cap} ({JOBS_PER_CORE} per core on {cores} cores)"
        ));
        cap
    } else {
        jobs
    }
}

/// The settings of plain inputs and of inputs inside a bundle.
struct Ctxs {
    plain: Arc<Ctx>,
    held: Arc<Ctx>,
    /// Bundles are joined (no `--no-joins`).
    joins: bool,
}

/// What the producer and the archive walkers share.
struct Shared {
    ctxs: Ctxs,
    /// Parses inputs (`--jobs` threads).
    pool: Arc<ThreadPool>,
    /// Inflates archives, one walker per archive (`--jobs` threads, at most
    /// one per core).
    inflate: ThreadPool,
    limits: Limits,
    /// Walkers inflating now.
    walking: AtomicUsize,
    /// Bytes one walker may have in flight ahead of the writer.
    feed_budget: u64,
}

impl Shared {
    /// Whether a walker parses the members it unpacks itself: when walkers
    /// already keep every core busy, handing members to the pool would
    /// only add switching (and `--jobs 1` stays on one core). A lone
    /// walker hands them on, so one archive still uses every core.
    fn parse_inline(&self) -> bool {
        self.walking.load(Ordering::Relaxed) >= self.pool.current_num_threads()
    }
}

/// Items waiting in one walker's channel at most.
const FEED_QUEUE: usize = 1024;

/// Bytes all walkers together may have in flight ahead of the writer; one
/// walker gets its share within [`FEED_MIN`]..=[`BUDGET`]. Enough for a
/// walker to finish an archive of that size while the writer is still
/// busy with an earlier one, which is what lets archives run side by side.
const FEED_TOTAL: u64 = 512 << 20;
const FEED_MIN: u64 = 32 << 20;

/// The producer: turns what [`input::discover`] finds into [`Item`]s; the
/// archives among them go to the inflate pool (see [`Feeder::archive`]).
fn produce(paths: &[PathBuf], shard: Option<Shard>, shared: &Arc<Shared>, feeder: Feeder) {
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let mut feeder = feeder;
    let picks = |p: &Path| shard.is_none_or(|s| s.picks(p));
    input::discover_picked(
        &paths,
        shared.limits,
        shared.ctxs.plain.forced.is_some(),
        &picks,
        &mut |found| feeder.take(found),
    );
}

/// Turns found inputs into [`Item`]s on one channel: the producer's (to
/// the writer), or one archive walker's (read by the writer when it
/// reaches that archive's [`Item::Archive`]).
struct Feeder {
    shared: Arc<Shared>,
    tx: SyncSender<Item>,
    budget: Arc<Budget>,
    /// Bundles open around the current input (joins on only), counting
    /// those around the archive a walker reads.
    depth: usize,
    /// This feeder runs on a walker (inside an archive).
    walker: bool,
    /// Bundles open around the archive a walker reads (on the writer's side).
    base_depth: usize,
    /// The bundles a walker joins itself (see [`local`]).
    local: local::Local,
}

impl Feeder {
    /// Hands one found input on; false once the writer is gone.
    fn take(&mut self, found: Found<'_>) -> bool {
        let shared = self.shared.clone();
        let ctxs = &shared.ctxs;
        let in_bundle = self.depth > 0;
        let ctx = if in_bundle { &ctxs.held } else { &ctxs.plain };
        let item = match found {
            Found::BundleStart(path) if ctxs.joins => {
                self.depth += 1;
                Item::Open(path)
            }
            Found::BundleEnd if ctxs.joins => {
                self.depth = self.depth.saturating_sub(1);
                Item::Close
            }
            Found::BundleStart(_) | Found::BundleEnd => return true,
            Found::Archive(archive) => self.archive(archive),
            Found::Unit(unit) => {
                let plain = !input::archive::inside();
                let head = &unit.bytes[..unit.bytes.len().min(HEAD)];
                let role = bundle::layout::role(&unit.path, head).filter(|_| in_bundle);
                let charge = self.charge(unit.bytes.len() as u64);
                let inline = self.walker && self.shared.parse_inline();
                if let Some(role) = role {
                    // Kernel journals are scanned whole: on the pool, so
                    // the producer walks on.
                    let path = unit.path.clone();
                    let (done_tx, done_rx) = mpsc::sync_channel(1);
                    let read = move || {
                        let read = match (&unit.bytes, &role) {
                            // A journal is read whole: streamed from its
                            // file, its pages stay out of our resident set.
                            (input::Bytes::Mapped(_), bundle::layout::Role::NodeLog { .. }) => {
                                let path = unit.path.clone();
                                drop(unit);
                                bundle::read::file(&path, &role)
                            }
                            _ => bundle::read::bytes(&unit.path, &role, &unit.bytes),
                        };
                        let _ = done_tx.send(read);
                    };
                    if inline {
                        read();
                    } else {
                        self.shared.pool.spawn(read);
                    }
                    return self.send(Item::EvidencePending(path, done_rx, charge));
                }
                if unit.bytes.len() >= split::SPLIT_MIN {
                    Item::Big(unit, charge, plain)
                } else {
                    let (done_tx, done_rx) = mpsc::sync_channel(1);
                    let ctx = ctx.clone();
                    let parse = move || {
                        let _ = done_tx.send(work::unit(&ctx, &unit));
                    };
                    if inline {
                        parse();
                    } else {
                        self.shared.pool.spawn(parse);
                    }
                    Item::Pending(done_rx, charge, plain)
                }
            }
            Found::Other {
                path,
                why,
                head,
                rest,
            } => match bundle::layout::role(&path, head).filter(|_| in_bundle) {
                Some(role) => {
                    let mut counted = Counted {
                        inner: io::Cursor::new(head).chain(rest),
                        bytes: 0,
                    };
                    let mut reader = io::BufReader::with_capacity(1 << 16, &mut counted);
                    let read = bundle::read::reader(&path, &role, &mut reader);
                    drop(reader);
                    if read.evidence.is_empty() && read.notes.is_empty() {
                        // Nothing in it for the joins: told as before.
                        Item::Done(Output::skipped(ctx, path, &why, counted.bytes))
                    } else {
                        Item::Evidence(path, read, counted.bytes)
                    }
                }
                None => Item::Done(Output::skipped(ctx, path, &why, 0)),
            },
            Found::Stream(s) => Item::Stream(s),
            Found::Problem { path, message } => {
                let mut out = Output::problem(path, message);
                out.files = 1;
                Item::Done(out)
            }
            Found::Skipped { path, why } => Item::Done(Output::skipped(ctx, path, &why, 0)),
            Found::Note { path, message } => {
                let mut out = Output::notice(path, message, 0);
                out.files = 0;
                Item::Done(out)
            }
        };
        self.send(item)
    }

    /// An archive: read by a walker on the inflate pool, which feeds its
    /// own channel; the writer reads that channel when it gets there.
    ///
    /// Cannot deadlock: walkers wait only for the writer (room in their
    /// channel and budget) and for parse tasks, which wait for nothing;
    /// the writer waits only for the earliest archive not yet read, whose
    /// walker runs or is next to run (the pool takes archives first come,
    /// first served, and every earlier walker has finished).
    fn archive(&self, archive: input::Archive) -> Item {
        let (tx, rx) = mpsc::sync_channel(FEED_QUEUE);
        let budget = Arc::new(Budget::new(self.shared.feed_budget));
        let mut walker = Feeder {
            shared: self.shared.clone(),
            tx,
            budget: budget.clone(),
            depth: self.depth,
            walker: true,
            base_depth: self.depth,
            local: local::Local::default(),
        };
        self.shared.inflate.spawn(move || walker.walk(archive));
        Item::Archive(Feed { rx, budget })
    }

    /// Reads one archive into this feeder's channel (on the inflate pool).
    fn walk(&mut self, archive: input::Archive) {
        let shared = self.shared.clone();
        let path = archive.path.clone();
        shared.walking.fetch_add(1, Ordering::Relaxed);
        let forced = shared.ctxs.plain.forced.is_some();
        let walked = catch_unwind(AssertUnwindSafe(|| {
            archive.walk(shared.limits, forced, &mut |found| self.take(found))
        }));
        shared.walking.fetch_sub(1, Ordering::Relaxed);
        match walked {
            // The writer is gone.
            Ok(false) => {}
            Ok(true) => self.end_local(),
            Err(_) => {
                let message = "internal error: reading this archive failed (please report it)";
                self.send(Item::Done(Output::problem(path, message.to_string())));
                self.end_local();
            }
        }
    }
}

/// Bytes of an input the role of an evidence file is told from.
const HEAD: usize = 64 * 1024;

/// Counts the bytes of a streamed evidence file (for `--stats`).
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The writer's side: output, progress and counters.
struct Writer<'o> {
    out: &'o mut dyn Write,
    collect: Option<Box<dyn CollectFormat>>,
    progress: Progress,
    stats: bool,
    /// Values redacted in the records written.
    redacted: Tally,
    report: Report,
    /// Open bundles, innermost last.
    scopes: Vec<Open>,
    /// The settings bundle records were parsed with (to filter and render
    /// them once joined, the writer uses the plain ones).
    held: Arc<Ctx>,
}

impl Writer<'_> {
    fn drain(
        &mut self,
        rx: Receiver<Item>,
        pool: &ThreadPool,
        ctx: &Arc<Ctx>,
        limits: Limits,
    ) -> io::Result<()> {
        if let Some(header) = ctx.render.as_ref().and_then(|r| r.header()) {
            self.progress.before_output();
            self.out.write_all(&header)?;
        }
        for item in rx {
            self.take(item, pool, ctx, limits)?;
        }
        let counts = ctx.redact.as_deref().map(|r| {
            r.counts(&self.redacted)
                .into_iter()
                .map(|(id, n)| (id.to_string(), n))
                .collect::<Vec<_>>()
        });
        if let Some(c) = &mut self.collect {
            // Cleared before the first byte, not after the last.
            self.progress.before_output();
            c.redactions(counts.as_deref());
            c.finish(&mut *self.out)?;
        }
        self.out.flush()?;
        self.progress.finish();
        diag::finish();
        if self.stats {
            let told = stats_redaction(self.redacted.values, counts.as_deref());
            self.progress.print_stats(&told);
        }
        Ok(())
    }

    /// Writes (or holds) one item; an archive's items all, in order.
    fn take(
        &mut self,
        item: Item,
        pool: &ThreadPool,
        ctx: &Arc<Ctx>,
        limits: Limits,
    ) -> io::Result<()> {
        // Charges are released (dropped) once their item is written.
        match item {
            Item::Done(out) => self.emit(out, true)?,
            Item::Pending(done, _charge, plain) => {
                // A worker drops its sender only by finishing; a closed
                // channel would mean a crashed worker: tell, go on.
                let out = done.recv().unwrap_or_else(|_| {
                    Output::problem(
                        Arc::from("-"),
                        "internal error: a worker thread died".to_string(),
                    )
                });
                self.emit(out, plain)?;
            }
            Item::Big(unit, _charge, plain) => {
                let ctx = if self.scopes.is_empty() {
                    ctx.clone()
                } else {
                    self.held.clone()
                };
                big(pool, &ctx, unit, plain, &mut |out, plain| {
                    self.emit(out, plain)
                })?;
            }
            Item::Open(path) => self.scopes.push(Open {
                scope: bundle::Scope::new(path),
                ready: Vec::new(),
            }),
            Item::Resolved(out, plain) => self.emit(out, plain)?,
            Item::Joined(joined, _charge) => self.joined(*joined)?,
            Item::EvidencePending(path, done, charge) => {
                let read = done.recv().unwrap_or_else(|_| bundle::read::Read1 {
                    evidence: Vec::new(),
                    notes: vec![(0, "internal error: a worker thread died".to_string())],
                });
                self.evidence(path, read, charge.bytes)?;
            }
            Item::Evidence(path, read, bytes) => self.evidence(path, read, bytes)?,
            Item::Close => self.close(pool, ctx)?,
            Item::Stream(s) => self.stream(pool, ctx, limits, s)?,
            Item::Archive(feed) => {
                let open = self.scopes.len();
                for item in feed.rx.iter() {
                    self.take(item, pool, ctx, limits)?;
                }
                // A walker that failed mid-archive left its bundles open.
                while self.scopes.len() > open {
                    self.close(pool, ctx)?;
                }
            }
        }
        Ok(())
    }

    fn stream(
        &mut self,
        pool: &ThreadPool,
        ctx: &Arc<Ctx>,
        limits: Limits,
        s: input::Stream,
    ) -> io::Result<()> {
        // `emit` and `flush` both need the writer, never at the same time.
        let this = std::cell::RefCell::new(self);
        stream::run(
            pool,
            ctx,
            limits,
            s,
            &mut |out| this.borrow_mut().emit(out, true),
            &mut || this.borrow_mut().out.flush(),
        )
    }

    /// The evidence of one file: into the open bundle's index; its notes told.
    fn evidence(
        &mut self,
        path: Arc<str>,
        read: bundle::read::Read1,
        bytes: u64,
    ) -> io::Result<()> {
        let scope = self.scopes.last_mut().map(|open| &mut open.scope);
        let out = evidence_output(scope, path, read, bytes);
        self.emit(out, true)
    }

    /// The innermost bundle ends: its records are joined, then written
    /// (filtered and rendered on the pool, in order, with the outputs its
    /// walkers joined in their places), or handed to the bundle around it.
    fn close(&mut self, pool: &ThreadPool, ctx: &Arc<Ctx>) -> io::Result<()> {
        let Some(Open { scope, ready }) = self.scopes.pop() else {
            return Ok(());
        };
        let finished = scope.finish(ctx.verbose);
        let notes = told_notes(finished.told);
        if let Some(outer) = self.scopes.last_mut() {
            let base = outer.scope.held();
            outer.scope.hold_joined(finished.records);
            outer
                .ready
                .extend(ready.into_iter().map(|(at, out)| (base + at, out)));
            return self.emit(
                Output {
                    notes,
                    ..Output::default()
                },
                true,
            );
        }
        let mut records = finished.records.into_iter();
        let mut notes = Some(notes);
        let mut at = 0;
        for (place, out) in ready {
            let before: Vec<_> = records.by_ref().take(place - at).collect();
            at = place;
            if !before.is_empty() || notes.is_some() {
                let mut head = render_held(pool, ctx, before);
                head.notes = notes.take().unwrap_or_default();
                self.emit(head, true)?;
            }
            self.emit(out, true)?;
        }
        let mut rest = render_held(pool, ctx, records.collect());
        rest.notes = notes.take().unwrap_or_default();
        self.emit(rest, true)
    }

    /// A bundle its walker joined: what it told in order, then its
    /// records. Written at once when nothing before it is held (every
    /// bundle around it holds nothing yet), else placed after what is.
    fn joined(&mut self, joined: local::Joined) -> io::Result<()> {
        for (out, plain) in joined.steps {
            self.emit(out, plain)?;
        }
        let nothing_held = self
            .scopes
            .iter()
            .all(|o| o.scope.held() == 0 && o.ready.is_empty());
        let mut last = joined.last;
        match self.scopes.last_mut() {
            Some(open) if !nothing_held => {
                let place = open.scope.held();
                open.ready.push((place, last));
                self.emit(
                    Output {
                        notes: joined.notes,
                        ..Output::default()
                    },
                    true,
                )
            }
            _ => {
                last.notes = joined.notes;
                self.tell(&last)?;
                self.write(last, true)
            }
        }
    }

    /// Tells `out`'s diagnostics, then writes its records (holds them,
    /// inside a bundle). `plain`: its bytes are on-disk bytes of the
    /// progress bar's total.
    fn emit(&mut self, mut out: Output, plain: bool) -> io::Result<()> {
        self.tell(&out)?;
        if let Some(open) = self.scopes.last_mut() {
            // Inside a bundle: records wait for its evidence.
            open.scope.hold(std::mem::take(&mut out.records));
            self.progress.add(out.files, out.bytes, 0, plain);
            return Ok(());
        }
        self.write(out, plain)
    }

    /// Tells `out`'s diagnostics and counts its redactions.
    fn tell(&mut self, out: &Output) -> io::Result<()> {
        // Records before a diagnostic are out before it: on one terminal
        // the order reads right, and nothing written is held back should
        // the run end abnormally after it.
        if !out.notes.is_empty() {
            self.out.flush()?;
        }
        for note in &out.notes {
            self.progress.suspend(|| match note.kind {
                NoteKind::Error => diag::error(&note.path, note.line, &note.message),
                NoteKind::Notice => diag::notice(&note.path, note.line, &note.message),
            });
            if note.kind == NoteKind::Error {
                self.progress.errors += 1;
            }
        }
        // Values masked by the workers count wherever the records go.
        if let Some(t) = &out.redacted {
            self.redacted.add(t);
        }
        Ok(())
    }

    /// Writes `out`'s records (already told).
    fn write(&mut self, out: Output, plain: bool) -> io::Result<()> {
        if let Some(m) = out.matched {
            self.report.matched += m.count;
            self.report.first_match.get_or_insert(m.first);
        }
        match &mut self.collect {
            Some(c) => {
                for r in out.records {
                    c.push(r);
                }
                c.drain(&mut *self.out)?;
            }
            None if out.rendered.is_empty() => {}
            None => {
                self.progress.before_output();
                self.out.write_all(&out.rendered)?;
            }
        }
        self.progress.add(out.files, out.bytes, out.count, plain);
        Ok(())
    }
}

/// A bundle open on the writer's side.
struct Open {
    scope: bundle::Scope,
    /// Bundles their walkers joined and rendered, each with the number of
    /// records held before it: written in that place when this one is.
    ready: Vec<(usize, Output)>,
}

/// The `--verbose` lines of a finished bundle, as notes.
fn told_notes(told: bundle::join::Told) -> Vec<work::Note> {
    told.into_iter()
        .map(|(path, line, message)| work::Note {
            path: Arc::from(path),
            line,
            kind: NoteKind::Notice,
            message,
        })
        .collect()
}

/// One evidence file read in a bundle: its evidence into `scope` (the
/// innermost open bundle, if any), and what is told for it: its notes and
/// its counts. The writer and a walker joining its own archive both use it.
fn evidence_output(
    scope: Option<&mut bundle::Scope>,
    path: Arc<str>,
    read: bundle::read::Read1,
    bytes: u64,
) -> Output {
    let notes = read
        .notes
        .into_iter()
        .map(|(line, message)| work::Note {
            path: path.clone(),
            line,
            kind: NoteKind::Notice,
            message,
        })
        .collect();
    if let Some(scope) = scope {
        scope.saw(&path);
        scope.add(read.evidence);
    }
    Output {
        notes,
        files: 1,
        bytes,
        ..Output::default()
    }
}

/// A large input: split and parsed by the whole pool. A line too long
/// for its parser (see [`long_line`]) is passed over with an error, and
/// the text on either side is parsed as two parts.
fn big(
    pool: &ThreadPool,
    ctx: &Arc<Ctx>,
    unit: Unit,
    plain: bool,
    emit: &mut dyn FnMut(Output, bool) -> io::Result<()>,
) -> io::Result<()> {
    let unit = Arc::new(unit);
    let (parser, text, offset, long_lines) = match work::prepare(ctx, &unit) {
        Ok(p) => {
            let text = match p.text {
                Cow::Borrowed(_) => Text::Unit(unit.clone(), p.offset as usize),
                Cow::Owned(v) => Text::Owned(Arc::new(v)),
            };
            (p.parser, text, p.offset, p.long_lines)
        }
        Err(out) => return emit(*out, plain),
    };
    let mut holds = Holds::Nothing;
    let mut seen = Output::default();
    let mut line = 1;
    let mut start = 0;
    let ends = long_lines.iter().map(Some).chain([None]);
    for long in ends {
        let part = start..long.map_or(text.bytes().len(), |l| l.start);
        if !part.is_empty() || long_lines.is_empty() {
            let ranges: Vec<_> = split::plan(parser, &text.bytes()[part.clone()])
                .into_iter()
                .map(|r| r.start + part.start..r.end + part.start)
                .collect();
            line += split::run(
                pool,
                ctx,
                &unit.path,
                parser,
                &text,
                &ranges,
                line,
                offset,
                offset + part.start as u64,
                &mut |out| {
                    holds.merge(&out.holds);
                    seen.absorb(&out);
                    emit(out, plain)
                },
            )?;
        }
        if let Some(long) = long {
            emit(long_line::skipped(&unit.path, line, long.len()), plain)?;
            line += 1;
            start = long.end;
        }
    }
    // Bytes were counted piece by piece, for a live throughput.
    let mut done = match holds.verdict().filter(|_| unit.named) {
        Some(why) => work::named_not_a_dump(&unit.path, why, 0),
        None => Output {
            files: 1,
            ..Output::default()
        },
    };
    done.notes
        .extend(work::found_nothing(ctx, &unit.path, unit.named, &seen));
    emit(done, plain)
}

/// The `--stats` line's redaction part: `4 values redacted (url_password 3,
/// jwt 1)`, or `redaction off`.
fn stats_redaction(values: u64, counts: Option<&[(String, u64)]>) -> String {
    let Some(counts) = counts else {
        return "redaction off".to_string();
    };
    let mut told = format!("{values} values redacted");
    if !counts.is_empty() {
        let per_rule: Vec<String> = counts.iter().map(|(id, n)| format!("{id} {n}")).collect();
        told.push_str(&format!(" ({})", per_rule.join(", ")));
    }
    told
}

/// Filters and renders a bundle's joined records as the workers do for
/// plain inputs, in pieces on the pool, keeping their order.
fn render_held(pool: &ThreadPool, ctx: &Ctx, records: Vec<crate::output::Record>) -> Output {
    use rayon::prelude::*;
    const PIECE: usize = 2048;
    let pieces: Vec<Output> = pool.install(|| {
        records
            .into_par_iter()
            .with_min_len(PIECE)
            .fold(Output::default, |mut out, mut record| {
                // Joined log tails and kubelet lines are masked like the
                // rest (masking twice changes and counts nothing).
                if let Some(r) = ctx.redact.as_deref() {
                    let mut tally = redact::Tally::default();
                    r.record(&mut record, &mut tally);
                    if tally.values > 0 {
                        out.redacted.get_or_insert_default().add(&tally);
                    }
                }
                if ctx.filter.as_ref().is_none_or(|f| f.keep(&record)) {
                    out.count += 1;
                    if let Some(g) = &ctx.fail_on
                        && g.matches(&record)
                    {
                        out.matched
                            .get_or_insert_with(|| {
                                Box::new(work::Matched {
                                    count: 0,
                                    first: crate::gate::describe(&record),
                                })
                            })
                            .count += 1;
                    }
                    match &ctx.render {
                        Some(r) => r.render(&record, &mut out.rendered),
                        None => out.records.push(record),
                    }
                }
                out
            })
            .collect()
    });
    let mut all = Output::default();
    for p in pieces {
        all.count += p.count;
        all.rendered.extend_from_slice(&p.rendered);
        all.records.extend(p.records);
        if let Some(t) = &p.redacted {
            all.redacted.get_or_insert_default().add(t);
        }
        if let Some(m) = p.matched {
            match &mut all.matched {
                Some(a) => a.count += m.count,
                None => all.matched = Some(m),
            }
        }
    }
    all
}
