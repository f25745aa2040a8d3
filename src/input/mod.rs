//! Finding and reading inputs: files (memory-mapped), stdin, directories and
//! archives. [`discover`] walks the command line's paths in order and hands
//! out named byte sources ([`Found`]); it knows nothing about formats beyond
//! skipping archive members that are plainly not dumps. An archive file is
//! handed out unread ([`Found::Archive`]), so that the caller can inflate
//! several at once on other threads ([`Archive::walk`]).

pub mod archive;
pub mod decode;
mod gz;
pub mod limits;
pub mod walk;
mod zip_descriptor;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use limits::Limits;

/// The bytes of one input: mapped from a file, or read into memory.
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
    /// An archive member also kept for the hard links that name it.
    Shared(Arc<Vec<u8>>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
            Bytes::Shared(v) => v,
        }
    }
}

/// Reads a regular file through a memory map, falling back to `read` where
/// mapping fails (special files, some network file systems).
pub fn read_file(path: &Path) -> io::Result<Bytes> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len > 0 {
        // SAFETY: the map is read-only and lives as long as `Bytes`. If another
        // process truncates the file meanwhile, reads past the new end fault;
        // support bundles are archived, not live, which is the accepted risk
        // ripgrep takes too.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            // Parsers and detection read front to back.
            #[cfg(unix)]
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(Bytes::Mapped(map));
        }
    }
    read_plain(file, len)
}

/// Reads a file with plain `read` calls (the fallback of [`read_file`]).
pub fn read_plain(mut file: File, len_hint: u64) -> io::Result<Bytes> {
    let mut buf = Vec::with_capacity(usize::try_from(len_hint).unwrap_or(0));
    file.read_to_end(&mut buf)?;
    Ok(Bytes::Owned(buf))
}

/// One input ready to be parsed: a file, a member, a decompressed file.
pub struct Unit {
    /// `source.path`: as given, or `archive!/member`.
    pub path: Arc<str>,
    pub bytes: Bytes,
    /// Named on the command line (not found in a directory or archive):
    /// an input that is not a dump is then an error, not a quiet skip.
    pub named: bool,
}

/// An input read as it arrives (stdin, a FIFO): parsed record by record.
pub struct Stream {
    pub path: Arc<str>,
    /// Bytes already read from `reader` while looking for archive magic.
    pub head: Vec<u8>,
    pub reader: Box<dyn Read + Send>,
}

/// What [`discover`] finds, in input order.
pub enum Found<'r> {
    Unit(Unit),
    Stream(Stream),
    /// An input or member that could not be read, or a limit breached.
    Problem {
        path: Arc<str>,
        message: String,
    },
    /// Passed over on purpose (not a dump): listed with `--verbose`.
    Skipped {
        path: Arc<str>,
        why: String,
    },
    /// Something worth telling that lost nothing (bytes after the end of a
    /// gzip stream): always shown, the exit status is unaffected.
    Note {
        path: Arc<str>,
        message: String,
    },
    /// An archive member that is not a dump, offered before it is passed
    /// over: a bundle reads its logs and node journals as evidence
    /// (`crate::bundle`), streaming, never whole. Otherwise it is
    /// [`Found::Skipped`] with `why`.
    Other {
        path: Arc<str>,
        why: String,
        head: &'r [u8],
        rest: &'r mut dyn Read,
    },
    /// A bundle begins: a directory named on the command line, or a tar
    /// or zip archive (an archive inside a bundle is a bundle of its own).
    BundleStart(Arc<str>),
    /// The innermost open bundle ends.
    BundleEnd,
    /// An archive file (named, or found in a directory), not yet read:
    /// the receiver walks it with [`Archive::walk`], on any thread, and
    /// places what that finds where this stands in the input order.
    Archive(Archive),
}

/// An archive file waiting to be read (see [`Found::Archive`]).
pub struct Archive {
    pub path: Arc<str>,
    file: PathBuf,
    kind: archive::Kind,
    /// A zip's mapped bytes (it is read with seeks); streamed kinds are
    /// opened again and read front to back.
    mapped: Option<Bytes>,
    named: bool,
}

impl Archive {
    /// Reads the archive, handing its members, bundle scopes and problems
    /// to `sink` in order, as [`discover`] does. Returns false once `sink`
    /// did (the consumer is gone).
    pub fn walk(
        self,
        limits: Limits,
        forced: bool,
        sink: &mut dyn FnMut(Found<'_>) -> bool,
    ) -> bool {
        if let Some(bytes) = &self.mapped {
            let src = archive::Src::Slice(bytes);
            return archive::Walker::new(limits, forced, sink)
                .top(&self.path, src, self.kind, self.named);
        }
        match File::open(&self.file) {
            // Streams are read once, front to back: plain reads keep a large
            // archive's pages out of the resident set, unlike a map.
            Ok(f) => {
                let reader = io::BufReader::with_capacity(1 << 20, f);
                let src = archive::Src::Stream(Box::new(reader));
                archive::Walker::new(limits, forced, sink)
                    .top(&self.path, src, self.kind, self.named)
            }
            Err(e) => sink(Found::Problem {
                path: self.path,
                message: e.to_string(),
            }),
        }
    }
}

/// Walks `paths` in order (`-` is stdin), descending into directories (in
/// sorted order), and hands each input to `sink`: archive files as
/// [`Found::Archive`], for the sink to walk (an archive read from stdin or
/// a FIFO is walked here, as it arrives). `forced`:
/// `--input-format` was given, so archive members are never skipped as
/// non-dumps. Stops early once `sink` returns false.
pub fn discover(
    paths: &[&Path],
    limits: Limits,
    forced: bool,
    sink: &mut dyn FnMut(Found<'_>) -> bool,
) {
    discover_picked(paths, limits, forced, &|_| true, sink);
}

/// [`discover`], reading only the paths named in `paths` that `picks`
/// accepts (`--shard`); the others are passed over unread and untold. A
/// directory is taken or left whole, as an archive is: each is one bundle,
/// whose joins need all of its files. Stdin is always read.
pub fn discover_picked(
    paths: &[&Path],
    limits: Limits,
    forced: bool,
    picks: &dyn Fn(&Path) -> bool,
    sink: &mut dyn FnMut(Found) -> bool,
) {
    for path in paths {
        let go = if path.as_os_str() == "-" {
            stream(Arc::from("-"), Box::new(io::stdin()), limits, forced, sink)
        } else {
            named_path(path, limits, forced, picks, sink)
        };
        if !go {
            return;
        }
    }
}

fn display(path: &Path) -> Arc<str> {
    Arc::from(path.to_string_lossy().as_ref())
}

fn named_path(
    path: &Path,
    limits: Limits,
    forced: bool,
    picks: &dyn Fn(&Path) -> bool,
    sink: &mut dyn FnMut(Found<'_>) -> bool,
) -> bool {
    let name = display(path);
    // Placed as named, before anything is read: a directory with all of
    // its files (one bundle), a file (or archive) on its own.
    if !picks(path) {
        return true;
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return sink(Found::Problem {
                path: name,
                message: e.to_string(),
            });
        }
    };
    if meta.is_dir() {
        if !sink(Found::BundleStart(name)) {
            return false;
        }
        let mut go = true;
        walk::walk(path, &mut |entry| {
            go = match entry {
                walk::Entry::File(p) => file(&p, false, sink),
                walk::Entry::Problem(p, message) => sink(Found::Problem {
                    path: display(&p),
                    message,
                }),
                walk::Entry::Skipped(p, why) => sink(Found::Skipped {
                    path: display(&p),
                    why,
                }),
            };
            go
        });
        go && sink(Found::BundleEnd)
    } else if meta.is_file() {
        file(path, true, sink)
    } else {
        // A FIFO or device (`exitparse <(kubectl describe pods)`): streamed.
        match File::open(path) {
            Ok(f) => stream(name, Box::new(f), limits, forced, sink),
            Err(e) => sink(Found::Problem {
                path: name,
                message: e.to_string(),
            }),
        }
    }
}

/// A file: a dump ([`Found::Unit`]) or an archive, handed out unread.
fn file(path: &Path, named: bool, sink: &mut dyn FnMut(Found<'_>) -> bool) -> bool {
    let name = display(path);
    let bytes = match read_file(path) {
        Ok(b) => b,
        Err(e) => {
            return sink(Found::Problem {
                path: name,
                message: e.to_string(),
            });
        }
    };
    let Some(kind) = archive::sniff(&bytes) else {
        return sink(Found::Unit(Unit {
            path: name,
            bytes,
            named,
        }));
    };
    // Zip wants random access (its central directory is at the end): it
    // keeps its map. Other kinds are streamed from the file when read.
    let mapped = (kind == archive::Kind::Zip).then_some(bytes);
    sink(Found::Archive(Archive {
        path: name,
        file: path.to_path_buf(),
        kind,
        mapped,
        named,
    }))
}

/// Enough bytes to tell a tar header (magic at 257) from text.
const STREAM_SNIFF: usize = 262;

fn stream(
    path: Arc<str>,
    mut reader: Box<dyn Read + Send>,
    limits: Limits,
    forced: bool,
    sink: &mut dyn FnMut(Found<'_>) -> bool,
) -> bool {
    let mut head = Vec::new();
    // Read what is needed to spot an archive, but no more than the first
    // block when it plainly is text, so a slow producer's first pod still
    // comes out at once.
    loop {
        let mut block = [0u8; STREAM_SNIFF];
        let want = STREAM_SNIFF - head.len().min(STREAM_SNIFF);
        match reader.read(&mut block[..want]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&block[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return sink(Found::Problem {
                    path,
                    message: e.to_string(),
                });
            }
        }
        if head.len() >= STREAM_SNIFF || (archive::sniff(&head).is_none() && !head.contains(&0)) {
            break;
        }
    }
    match archive::sniff(&head) {
        Some(kind) => {
            let src = archive::Src::Stream(Box::new(io::Cursor::new(head).chain(reader)));
            archive::Walker::new(limits, forced, sink).top(&path, src, kind, true)
        }
        None => sink(Found::Stream(Stream { path, head, reader })),
    }
}
