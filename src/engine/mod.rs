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
//! (`Item::Open`, `Item::Evidence`, `Item::Close`). `--no-joins` turns
//! this off.

mod progress;
pub mod split;
mod stream;
pub mod work;

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex};

use rayon::ThreadPool;

use crate::bundle;
use crate::cli::RunArgs;
use crate::diag;
use crate::filter::Filter;
use crate::input::{self, Found, Limits, Unit};
use crate::output::{self, CollectFormat, Mode};
use progress::Progress;
use split::Text;
use work::{Ctx, NoteKind, Output};

/// Inputs in flight between the producer and the writer.
const QUEUE: usize = 256;
/// Bytes of inputs in flight between the producer and the writer (one
/// input larger than this still goes, alone).
const BUDGET: u64 = 128 << 20;

/// What the writer takes next, in input order.
enum Item {
    /// A small input being parsed by the pool.
    Pending(Receiver<Output>, u64),
    /// A large input, parsed piece by piece when its turn comes.
    Big(Unit, u64),
    /// A stream, parsed batch by batch when its turn comes.
    Stream(input::Stream),
    /// A result known without parsing (unreadable, skipped).
    Done(Output),
    /// A bundle begins: hold its records until its `Close`.
    Open(Arc<str>),
    /// The evidence of one file of the open bundle, and its size.
    Evidence(Arc<str>, bundle::read::Read1, u64),
    /// The same, being read by the pool (a mapped file).
    EvidencePending(Arc<str>, Receiver<bundle::read::Read1>, u64),
    /// The innermost open bundle ends: join, write (or hand up).
    Close,
}

/// Parses every input named in `args` and writes the records to `out`.
/// Problems are reported through [`diag`]; the returned error is only for
/// failures to write the output (a closed pipe among them: the caller ends
/// quietly).
pub fn run(args: &RunArgs, out: &mut dyn Write) -> io::Result<()> {
    let jobs = args.jobs.unwrap_or(0);
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
        verbose: args.verbose,
    });
    // Bundle records are judged only once joined: workers hand them back
    // whole, and the writer filters and renders them.
    let held = Arc::new(Ctx {
        render: None,
        filter: None,
        forced: ctx.forced,
        verbose: ctx.verbose,
    });
    let joins = !args.no_joins;
    let limits = Limits::from_args(&args.limits);
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };

    let budget = Arc::new(Budget::new(BUDGET));
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    let producer = {
        let (pool, ctx, held, budget) = (pool.clone(), ctx.clone(), held.clone(), budget.clone());
        std::thread::Builder::new()
            .name("exitparse-input".into())
            .spawn(move || {
                let ctxs = Ctxs {
                    plain: ctx,
                    held,
                    joins,
                };
                produce(&paths, limits, &pool, &ctxs, &budget, tx)
            })?
    };

    let mut writer = Writer {
        out,
        collect,
        progress: Progress::new(!args.no_progress),
        stats: args.stats,
        scopes: Vec::new(),
        held: held.clone(),
    };
    let result = writer.drain(rx, &pool, &ctx, limits, &budget);
    // Wake a producer waiting for room that will never come.
    budget.close();
    if result.is_ok() {
        let _ = producer.join();
    }
    result
}

/// The settings of plain inputs and of inputs inside a bundle.
struct Ctxs {
    plain: Arc<Ctx>,
    held: Arc<Ctx>,
    /// Bundles are joined (no `--no-joins`).
    joins: bool,
}

/// The producer: turns what [`input::discover`] finds into [`Item`]s.
fn produce(
    paths: &[PathBuf],
    limits: Limits,
    pool: &ThreadPool,
    ctxs: &Ctxs,
    budget: &Budget,
    tx: SyncSender<Item>,
) {
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    // Bundles open around the current input (joins on only).
    let mut depth = 0usize;
    let mut sink = |found: Found<'_>| -> bool {
        let in_bundle = depth > 0;
        let ctx = if in_bundle { &ctxs.held } else { &ctxs.plain };
        let item = match found {
            Found::BundleStart(path) if ctxs.joins => {
                depth += 1;
                Item::Open(path)
            }
            Found::BundleEnd if ctxs.joins => {
                depth = depth.saturating_sub(1);
                Item::Close
            }
            Found::BundleStart(_) | Found::BundleEnd => return true,
            Found::Unit(unit) => {
                let head = &unit.bytes[..unit.bytes.len().min(HEAD)];
                let role = bundle::layout::role(&unit.path, head).filter(|_| in_bundle);
                let charged = budget.acquire(unit.bytes.len() as u64);
                if let Some(role) = role {
                    // Kernel journals are scanned whole: on the pool, so
                    // the producer walks on.
                    let (done_tx, done_rx) = mpsc::sync_channel(1);
                    let path = unit.path.clone();
                    pool.spawn(move || {
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
                    });
                    return tx
                        .send(Item::EvidencePending(path, done_rx, charged))
                        .is_ok();
                }
                if unit.bytes.len() >= split::SPLIT_MIN {
                    Item::Big(unit, charged)
                } else {
                    let (done_tx, done_rx) = mpsc::sync_channel(1);
                    let ctx = ctx.clone();
                    pool.spawn(move || {
                        let _ = done_tx.send(work::unit(&ctx, &unit));
                    });
                    Item::Pending(done_rx, charged)
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
        };
        tx.send(item).is_ok()
    };
    input::discover(&paths, limits, ctxs.plain.forced.is_some(), &mut sink);
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
    /// Open bundles, innermost last.
    scopes: Vec<bundle::Scope>,
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
        budget: &Budget,
    ) -> io::Result<()> {
        if let Some(header) = ctx.render.as_ref().and_then(|r| r.header()) {
            self.out.write_all(&header)?;
        }
        for item in rx {
            match item {
                Item::Done(out) => self.emit(out)?,
                Item::Pending(done, charged) => {
                    // A worker drops its sender only by finishing; a closed
                    // channel would mean a crashed worker: tell, go on.
                    let out = done.recv().unwrap_or_else(|_| {
                        Output::problem(
                            Arc::from("-"),
                            "internal error: a worker thread died".to_string(),
                        )
                    });
                    self.emit(out)?;
                    budget.release(charged);
                }
                Item::Big(unit, charged) => {
                    let ctx = if self.scopes.is_empty() {
                        ctx
                    } else {
                        &self.held.clone()
                    };
                    self.big(pool, ctx, unit)?;
                    budget.release(charged);
                }
                Item::Open(path) => self.scopes.push(bundle::Scope::new(path)),
                Item::EvidencePending(path, done, charged) => {
                    let read = done.recv().unwrap_or_else(|_| bundle::read::Read1 {
                        evidence: Vec::new(),
                        notes: vec![(0, "internal error: a worker thread died".to_string())],
                    });
                    self.evidence(path, read, charged)?;
                    budget.release(charged);
                }
                Item::Evidence(path, read, bytes) => self.evidence(path, read, bytes)?,
                Item::Close => self.close(pool, ctx)?,
                Item::Stream(s) => self.stream(pool, ctx, limits, s)?,
            }
        }
        if let Some(c) = &mut self.collect {
            c.finish(&mut *self.out)?;
        }
        self.out.flush()?;
        self.progress.finish();
        if self.stats {
            self.progress.print_stats();
        }
        Ok(())
    }

    /// A large input: split and parsed by the whole pool.
    fn big(&mut self, pool: &ThreadPool, ctx: &Arc<Ctx>, unit: Unit) -> io::Result<()> {
        let unit = Arc::new(unit);
        let (parser, text, offset) = match work::prepare(ctx, &unit) {
            Ok(p) => {
                let text = match p.text {
                    Cow::Borrowed(_) => Text::Unit(unit.clone(), p.offset as usize),
                    Cow::Owned(v) => Text::Owned(Arc::new(v)),
                };
                (p.parser, text, p.offset)
            }
            Err(out) => return self.emit(out),
        };
        let ranges = split::plan(parser, text.bytes());
        split::run(
            pool,
            ctx,
            &unit.path,
            parser,
            &text,
            &ranges,
            1,
            offset,
            &mut |out| self.emit(out),
        )?;
        // Bytes were counted piece by piece, for a live throughput.
        self.emit(Output {
            files: 1,
            ..Output::default()
        })
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
            &mut |out| this.borrow_mut().emit(out),
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
        if let Some(scope) = self.scopes.last_mut() {
            scope.saw(&path);
            scope.add(read.evidence);
        }
        self.emit(Output {
            notes,
            files: 1,
            bytes,
            ..Output::default()
        })
    }

    /// The innermost bundle ends: its records are joined, then written
    /// (filtered and rendered on the pool, in order), or handed to the
    /// bundle around it.
    fn close(&mut self, pool: &ThreadPool, ctx: &Arc<Ctx>) -> io::Result<()> {
        let Some(scope) = self.scopes.pop() else {
            return Ok(());
        };
        let finished = scope.finish(ctx.verbose);
        let notes = finished
            .told
            .into_iter()
            .map(|(path, line, message)| work::Note {
                path: Arc::from(path),
                line,
                kind: NoteKind::Notice,
                message,
            })
            .collect();
        if let Some(outer) = self.scopes.last_mut() {
            outer.hold_joined(finished.records);
            return self.emit(Output {
                notes,
                ..Output::default()
            });
        }
        let mut out = render_held(pool, ctx, finished.records);
        out.notes = notes;
        self.emit(out)
    }

    /// Tells `out`'s diagnostics, then writes its records.
    fn emit(&mut self, out: Output) -> io::Result<()> {
        for note in &out.notes {
            self.progress.suspend(|| match note.kind {
                NoteKind::Error => diag::error(&note.path, note.line, &note.message),
                NoteKind::Notice => diag::notice(&note.path, note.line, &note.message),
            });
            if note.kind == NoteKind::Error {
                self.progress.errors += 1;
            }
        }
        if let Some(scope) = self.scopes.last_mut() {
            // Inside a bundle: records wait for its evidence.
            scope.hold(out.records);
            self.progress.add(out.files, out.bytes, 0);
            return Ok(());
        }
        match &mut self.collect {
            Some(c) => {
                for r in out.records {
                    c.push(r);
                }
            }
            None => self.out.write_all(&out.rendered)?,
        }
        self.progress.add(out.files, out.bytes, out.count);
        Ok(())
    }
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
            .fold(Output::default, |mut out, record| {
                if ctx.filter.as_ref().is_none_or(|f| f.keep(&record)) {
                    out.count += 1;
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
    }
    all
}

/// Bytes of inputs in flight: the producer waits for room, the writer
/// makes it. One input larger than the whole budget is charged the whole
/// budget, so it still goes (alone).
struct Budget {
    state: Mutex<(u64, bool)>,
    room: Condvar,
    cap: u64,
}

impl Budget {
    fn new(cap: u64) -> Budget {
        Budget {
            state: Mutex::new((0, false)),
            room: Condvar::new(),
            cap,
        }
    }

    /// Waits until `n` bytes fit; returns what was charged.
    fn acquire(&self, n: u64) -> u64 {
        let n = n.min(self.cap);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !s.1 && s.0 + n > self.cap {
            s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.0 += n;
        n
    }

    fn release(&self, n: u64) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = s.0.saturating_sub(n);
        self.room.notify_all();
    }

    /// No more releases will come: let every waiter through.
    fn close(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.1 = true;
        self.room.notify_all();
    }
}
