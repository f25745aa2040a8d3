//! Guards against decompression bombs and absurd inputs. Every breach is an
//! error told on stderr; the rest of the run goes on.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::rc::Rc;

use crate::cli::LimitArgs;

const MIB: u64 = 1024 * 1024;

/// Compressed bytes below which the ratio guard does not judge yet: tiny
/// inputs of repeated text compress far beyond any sane ratio.
const RATIO_FLOOR: u64 = 64 * 1024;

/// The limits of one run, in bytes where sizes are concerned.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub member: u64,
    pub archive: u64,
    pub ratio: u64,
    pub depth: u32,
    pub members: u64,
}

impl Limits {
    /// Resolves the `--max-*` flags.
    pub fn from_args(a: &LimitArgs) -> Limits {
        Limits {
            member: a.max_member_size.saturating_mul(MIB),
            archive: a.max_archive_size.saturating_mul(MIB),
            ratio: a.max_ratio.max(1),
            depth: a.max_depth,
            members: a.max_members,
        }
    }

    /// The message for a member larger than `--max-member-size`.
    pub fn member_message(&self) -> String {
        format!(
            "larger than {} MiB decompressed (raise --max-member-size)",
            self.member / MIB
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::from_args(&LimitArgs::default())
    }
}

/// A limit was exceeded. Carried inside `io::Error` so it crosses the
/// decompressors and `tar` unchanged; see [`breach_of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub message: String,
    pub scope: Scope,
}

/// What a breach makes unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One member (`--max-member-size`): skip it, read on.
    Member,
    /// One decompression stream (`--max-ratio`).
    Stream,
    /// The whole top-level archive (`--max-archive-size`).
    Archive,
}

impl Breach {
    fn new(message: String, scope: Scope) -> Breach {
        Breach { message, scope }
    }
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Breach {}

/// The breach inside an I/O error, if that is what it is.
pub fn breach_of(e: &io::Error) -> Option<&Breach> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<Breach>())
}

/// Counts the bytes read through it (the compressed side of a decoder).
pub struct Counted<R> {
    pub inner: R,
    pub count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The counts of one top-level input shared by every nesting level.
#[derive(Clone, Default)]
pub struct Tally {
    /// Decompressed bytes so far, every level added up (an inner archive's
    /// members count again when it is unpacked).
    pub total: Rc<Cell<u64>>,
    /// Bytes read from the input itself, as stored.
    pub top_in: Rc<Cell<u64>>,
}

/// Watches a decompressed stream: fails once it outgrows its compressed
/// input by more than the ratio, once everything decompressed from the
/// input (all nesting levels together) outgrows the input itself by more
/// than the ratio (so a fan-out of small ratios, "42.zip", multiplies up
/// to a breach), or once the total passes `--max-archive-size`.
pub struct Meter<R> {
    pub inner: R,
    /// Compressed bytes consumed so far.
    pub compressed: Rc<Cell<u64>>,
    pub tally: Tally,
    pub limits: Limits,
    out: u64,
}

impl<R> Meter<R> {
    pub fn new(inner: R, compressed: Rc<Cell<u64>>, tally: Tally, limits: Limits) -> Self {
        Meter {
            inner,
            compressed,
            tally,
            limits,
            out: 0,
        }
    }
}

impl<R: Read> Read for Meter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let total = &self.tally.total;
        total.set(total.get() + n as u64);
        let allowed = self
            .limits
            .ratio
            .saturating_mul(self.compressed.get().max(RATIO_FLOOR));
        if self.out > allowed {
            return Err(io::Error::other(Breach::new(
                format!(
                    "decompression ratio above {}:1, a likely decompression bomb (raise --max-ratio)",
                    self.limits.ratio
                ),
                Scope::Stream,
            )));
        }
        let overall = self
            .limits
            .ratio
            .saturating_mul(self.tally.top_in.get().max(RATIO_FLOOR));
        if total.get() > overall {
            return Err(io::Error::other(Breach::new(
                format!(
                    "more than {} times the input's own size decompressed across its nested archives, a likely decompression bomb (raise --max-ratio)",
                    self.limits.ratio
                ),
                Scope::Archive,
            )));
        }
        if total.get() > self.limits.archive {
            return Err(io::Error::other(Breach {
                message: format!(
                    "more than {} MiB decompressed from one archive (raise --max-archive-size)",
                    self.limits.archive / MIB
                ),
                scope: Scope::Archive,
            }));
        }
        Ok(n)
    }
}

/// Reads at most `max` bytes into `buf` (fewer only at end of input).
pub fn read_up_to(r: &mut dyn Read, buf: &mut Vec<u8>, max: usize) -> io::Result<()> {
    let start = buf.len();
    buf.resize(start + max, 0);
    let mut filled = start;
    while filled < start + max {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(filled);
                return Err(e);
            }
        }
    }
    buf.truncate(filled);
    Ok(())
}

/// Copies `r` to an anonymous temporary file (deleted when dropped), for
/// a format that needs to seek (zip) but arrived as a stream: the bytes
/// never sit in memory. Fails with a member-scope [`Breach`] past `limit`.
pub fn spill(r: &mut dyn Read, limit: u64, message: impl Fn() -> String) -> io::Result<File> {
    let mut file = tempfile::tempfile()?;
    let copied = io::copy(&mut r.take(limit.saturating_add(1)), &mut file)?;
    if copied > limit {
        return Err(io::Error::other(Breach::new(message(), Scope::Member)));
    }
    file.seek(io::SeekFrom::Start(0))?;
    Ok(file)
}

/// Reads `r` to its end onto `buf`, failing with a [`Breach`] once `buf`
/// would exceed `limit` bytes.
pub fn read_to_end_limited(
    r: &mut dyn Read,
    buf: &mut Vec<u8>,
    limit: u64,
    message: impl Fn() -> String,
) -> io::Result<()> {
    let mut block = vec![0u8; 256 * 1024];
    loop {
        let n = match r.read(&mut block) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if (buf.len() + n) as u64 > limit {
            return Err(io::Error::other(Breach::new(message(), Scope::Member)));
        }
        buf.extend_from_slice(&block[..n]);
    }
}
