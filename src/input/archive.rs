//! Archives: `.tar`, `.tar.gz`/`.tgz`, `.tar.xz`, `.tar.zst`, `.zip`, single
//! `.gz`/`.xz`/`.zst` files, and archives nested inside archives. Kinds are
//! told from magic bytes, never from names. Members stream out of the
//! archive one after another; each is read into memory only when its first
//! bytes look like a dump (or an archive), within the limits of [`Limits`].

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::gz::{self, Trailer};
use super::limits::{
    Counted, Limits, Meter, Scope, Tally, breach_of, read_to_end_limited, read_up_to, spill,
};
use super::{Bytes, Found, Unit, decode, zip_descriptor};
use crate::format::detect::{self, Detection, HEAD_LEN};

/// The archive and compression formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gzip,
    Xz,
    Zstd,
    Zip,
    Tar,
}

/// The archive kind announced by an input's first bytes, if any.
pub fn sniff(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"\x1f\x8b") {
        Some(Kind::Gzip)
    } else if head.starts_with(b"\xfd7zXZ\x00") {
        Some(Kind::Xz)
    } else if head.starts_with(b"\x28\xb5\x2f\xfd") {
        Some(Kind::Zstd)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Bytes of top-level archives read so far (compressed, as on disk): what
/// moves the progress bar while archives are read.
static READ: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread is inside [`Walker::top`].
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Bytes of top-level archives read so far, by every walker.
pub fn bytes_read() -> u64 {
    READ.load(Ordering::Relaxed)
}

/// True while this thread walks an archive: what a sink receives now is a
/// member (the progress bar counts it through [`bytes_read`]).
pub fn inside() -> bool {
    INSIDE.with(Cell::get)
}

/// Counts what a top-level archive's reader returns into [`READ`].
struct ProgressTally<R> {
    inner: R,
}

impl<R: Read> Read for ProgressTally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        READ.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Nesting levels read at most, whatever `--max-depth` says: each level
/// is a few frames of recursion, and the input thread's stack must hold
/// them all (see `engine`), so a raised limit can never overflow it.
pub const DEPTH_CAP: u32 = 64;

/// Bytes of dumps kept per archive for the hard links that may name them
/// later. Past this a hard link to an earlier member is told, not read.
const LINK_KEEP: u64 = 256 << 20;

/// Where an archive's bytes come from: memory (a mapped file, an unpacked
/// member) or a stream (stdin, a member being decompressed).
pub enum Src<'a> {
    Slice(&'a [u8]),
    Stream(Box<dyn Read + 'a>),
}

/// What [`Walker::admit`] decided about one archive member.
enum Admit {
    Read,
    /// Over a per-member limit: told, and the next member is read.
    Skip,
    /// The archive ends here with this flow.
    End(Flow),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    /// This archive level cannot be read further.
    StopArchive,
    /// The consumer is gone: stop everything.
    Stop,
}

/// What reading one member gave.
enum Gathered {
    /// A dump's bytes; with the error that cut it short, if it was.
    Dump(Vec<u8>, Option<io::Error>),
    /// Already dealt with (a nested archive, a skip, a problem).
    Done(Flow, Target),
}

/// What a tar member was, for the hard links that name it later.
#[derive(Clone)]
enum Target {
    Kept(Arc<Vec<u8>>),
    /// Read as a dump but not kept (over [`LINK_KEEP`]).
    Dropped,
    /// Passed over, and why.
    Skipped(String),
    /// A nested archive, or unreadable: a link to it is not read again.
    Other,
}

/// Reads archives and hands out their members as [`Found`] values.
pub struct Walker<'s> {
    limits: Limits,
    /// `--input-format` given: keep every member that is not an archive.
    forced: bool,
    sink: &'s mut dyn FnMut(Found<'_>) -> bool,
    /// Counts of the current top-level input, across its nesting.
    tally: Tally,
    /// The top-level archive hit a whole-archive limit (already told).
    broken: bool,
    stopped: bool,
}

impl<'s> Walker<'s> {
    pub fn new(limits: Limits, forced: bool, sink: &'s mut dyn FnMut(Found<'_>) -> bool) -> Self {
        Walker {
            limits,
            forced,
            sink,
            tally: Tally::default(),
            broken: false,
            stopped: false,
        }
    }

    /// Reads one top-level archive. `named`: the path was given on the
    /// command line (a single compressed file is then an input of its own).
    /// Returns false once the consumer is gone.
    pub fn top(&mut self, path: &str, src: Src<'_>, kind: Kind, named: bool) -> bool {
        self.tally = Tally::default();
        self.broken = false;
        // A mapped archive (zip) is counted whole once read (progress bar).
        let (src, mapped) = match src {
            Src::Slice(data) => {
                self.tally.top_in.set(data.len() as u64);
                (Src::Slice(data), data.len() as u64)
            }
            Src::Stream(r) => (
                Src::Stream(Box::new(Counted {
                    inner: ProgressTally { inner: r },
                    count: self.tally.top_in.clone(),
                })),
                0,
            ),
        };
        INSIDE.with(|c| c.set(true));
        let _ = self.open(path, src, kind, 1, named);
        INSIDE.with(|c| c.set(false));
        READ.fetch_add(mapped, Ordering::Relaxed);
        !self.stopped
    }

    fn send(&mut self, found: Found<'_>) -> Flow {
        if !self.stopped && !(self.sink)(found) {
            self.stopped = true;
        }
        if self.stopped {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn problem(&mut self, path: &str, message: String) -> Flow {
        self.send(Found::Problem {
            path: Arc::from(path),
            message,
        })
    }

    /// Tells an I/O error met while reading `path`, once per broken archive.
    fn io_problem(&mut self, path: &str, what: &str, e: &io::Error) -> Flow {
        if self.broken {
            return if self.stopped {
                Flow::Stop
            } else {
                Flow::StopArchive
            };
        }
        let message = match breach_of(e) {
            Some(b) => {
                self.broken |= b.scope == Scope::Archive;
                b.message.clone()
            }
            None => format!("{what}: {}", damage(e)),
        };
        match self.problem(path, message) {
            Flow::Stop => Flow::Stop,
            _ => Flow::StopArchive,
        }
    }

    fn open(&mut self, path: &str, src: Src<'_>, kind: Kind, depth: u32, named: bool) -> Flow {
        let max = self.limits.depth.min(DEPTH_CAP);
        if depth > max {
            let why = if self.limits.depth > DEPTH_CAP {
                format!("archives nested deeper than {DEPTH_CAP} levels are never read")
            } else {
                format!("archives nested deeper than {max} levels (raise --max-depth)")
            };
            return self.problem(path, why);
        }
        let flow = match (kind, src) {
            (Kind::Zip, Src::Slice(data)) => self.zip(path, Cursor::new(data), depth),
            (Kind::Zip, Src::Stream(mut r)) => {
                // The central directory sits at the end: a streamed zip is
                // spilled to a temporary file, within the member limit.
                let limit = self.limits.member;
                match spill(&mut r, limit, || {
                    format!(
                        "zip archive read from a stream is larger than {} MiB (raise --max-member-size)",
                        limit >> 20
                    )
                }) {
                    Ok(file) => self.zip(path, BufReader::new(file), depth),
                    Err(e) => self.io_problem(path, "reading zip archive", &e),
                }
            }
            (Kind::Tar, Src::Slice(data)) => self.tar(path, Box::new(data), depth),
            (Kind::Tar, Src::Stream(r)) => self.tar(path, r, depth),
            (compressed, Src::Slice(data)) => {
                self.compressed(path, Box::new(data), compressed, depth, named)
            }
            (compressed, Src::Stream(r)) => self.compressed(path, r, compressed, depth, named),
        };
        // What went wrong inside stays inside: the level above goes on.
        if flow == Flow::Stop || self.stopped {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn compressed(
        &mut self,
        path: &str,
        raw: Box<dyn Read + '_>,
        kind: Kind,
        depth: u32,
        named: bool,
    ) -> Flow {
        let compressed = Rc::new(Cell::new(0u64));
        let counted = Counted {
            inner: raw,
            count: compressed.clone(),
        };
        let trailer = Trailer::default();
        let decoder: Box<dyn Read + '_> = match kind {
            Kind::Gzip => Box::new(gz::Members::new(
                BufReader::with_capacity(64 * 1024, counted),
                trailer.clone(),
            )),
            // A header may ask for a 4 GiB dictionary; xz -9 needs 65 MiB.
            Kind::Xz => match liblzma::stream::Stream::new_auto_decoder(
                XZ_MEMLIMIT,
                liblzma::stream::CONCATENATED,
            ) {
                Ok(stream) => Box::new(liblzma::read::XzDecoder::new_stream(counted, stream)),
                Err(e) => return self.io_problem(path, "reading xz stream", &e.into()),
            },
            Kind::Zstd => match zstd::stream::read::Decoder::new(counted) {
                Ok(d) => Box::new(d),
                Err(e) => return self.io_problem(path, "reading zstd stream", &e),
            },
            Kind::Zip | Kind::Tar => unreachable!("not a compression format"),
        };
        let mut stream = Meter::new(decoder, compressed, self.tally.clone(), self.limits);
        let mut head = Vec::new();
        if let Err(e) = read_up_to(&mut stream, &mut head, HEAD_LEN) {
            // Cut before 64 KiB: what came out is still an input.
            if head.is_empty() || breach_of(&e).is_some() || sniff(&head).is_some() {
                return self.io_problem(path, "decompressing", &e);
            }
            let flow = self.whole(path.to_string(), head, Some(e), named);
            return self.trailer(path, &trailer, flow);
        }
        let flow = if sniff(&head) == Some(Kind::Tar) {
            let reader = Box::new(Cursor::new(head).chain(&mut stream));
            self.tar(path, reader, depth)
        } else {
            // A single compressed file: it keeps the archive's own name.
            self.member(path.to_string(), head, &mut stream, depth, named)
        };
        // A tar's end-of-archive blocks come before the gzip trailer: read
        // on to the end, to hear of bytes after it.
        if flow == Flow::Continue && kind == Kind::Gzip {
            let _ = io::copy(&mut stream.take(1 << 20), &mut io::sink());
        }
        self.trailer(path, &trailer, flow)
    }

    /// Tells what followed the gzip data, if anything did.
    fn trailer(&mut self, path: &str, trailer: &Trailer, flow: Flow) -> Flow {
        match trailer.borrow_mut().take() {
            Some(message) if flow != Flow::Stop => {
                let sent = self.send(Found::Note {
                    path: Arc::from(path),
                    message,
                });
                if sent == Flow::Stop { sent } else { flow }
            }
            _ => flow,
        }
    }

    fn tar(&mut self, path: &str, reader: Box<dyn Read + '_>, depth: u32) -> Flow {
        self.scoped(path, |w| w.tar_members(path, reader, depth))
    }

    /// Runs `read` (the members of one tar or zip archive) as one bundle.
    fn scoped(&mut self, path: &str, read: impl FnOnce(&mut Self) -> Flow) -> Flow {
        if self.send(Found::BundleStart(Arc::from(path))) == Flow::Stop {
            return Flow::Stop;
        }
        let flow = read(self);
        if self.send(Found::BundleEnd) == Flow::Stop {
            return Flow::Stop;
        }
        flow
    }

    fn tar_members(&mut self, path: &str, reader: Box<dyn Read + '_>, depth: u32) -> Flow {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return self.io_problem(path, "reading tar archive", &e),
        };
        let mut count = 0u64;
        let mut targets: HashMap<Vec<u8>, Target> = HashMap::new();
        let mut kept = 0u64;
        for entry in entries {
            if self.broken || self.stopped {
                break;
            }
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let what = format!("reading tar archive after {count} members");
                    return self.io_problem(path, &what, &e);
                }
            };
            let kind = entry.header().entry_type();
            let link = kind.is_hard_link();
            // GNU sparse members come out of `tar` with their holes filled.
            if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse() || link) {
                continue;
            }
            count += 1;
            let raw_name = entry.path_bytes().into_owned();
            let member = format!("{path}!/{}", String::from_utf8_lossy(&raw_name));
            if link {
                let target = entry.link_name_bytes().map(|l| l.into_owned());
                let flow = self.hard_link(&member, target, &targets);
                if flow == Flow::Stop {
                    return flow;
                }
                continue;
            }
            match self.admit(path, &member, count, entry.size()) {
                Admit::Read => {}
                Admit::Skip => {
                    targets.insert(raw_name, Target::Other);
                    continue;
                }
                Admit::End(flow) => return flow,
            }
            let mut head = Vec::new();
            if let Err(e) = read_up_to(&mut entry, &mut head, HEAD_LEN) {
                if head.is_empty() || breach_of(&e).is_some() {
                    return self.io_problem(&member, "reading tar archive", &e);
                }
                return self.whole(member, head, Some(e), false);
            }
            let (flow, target) = match self.gather(&member, head, &mut entry, depth, false) {
                Gathered::Done(flow, target) => (flow, target),
                Gathered::Dump(bytes, cut) => {
                    let len = bytes.len() as u64;
                    let (bytes, target) = if cut.is_none() && kept + len <= LINK_KEEP {
                        kept += len;
                        let shared = Arc::new(bytes);
                        (Bytes::Shared(shared.clone()), Target::Kept(shared))
                    } else {
                        (Bytes::Owned(bytes), Target::Dropped)
                    };
                    (self.unit(member, bytes, cut, false), target)
                }
            };
            targets.insert(raw_name, target);
            match flow {
                Flow::Continue => {}
                other => return other,
            }
        }
        Flow::Continue
    }

    /// A tar hard link: the content of the member it names, read again
    /// under the link's name (both are names of one file).
    fn hard_link(
        &mut self,
        member: &str,
        target: Option<Vec<u8>>,
        targets: &HashMap<Vec<u8>, Target>,
    ) -> Flow {
        let Some(target) = target else {
            return self.problem(member, "hard link without a target name".to_string());
        };
        let shown = String::from_utf8_lossy(&target).into_owned();
        // Archivers write the target as stored, sometimes with `./`.
        let found = targets.get(&target).or_else(|| {
            let bare = target.strip_prefix(b"./").unwrap_or(&target);
            targets
                .iter()
                .find(|(k, _)| k.strip_prefix(b"./").unwrap_or(k) == bare)
                .map(|(_, v)| v)
        });
        match found {
            Some(Target::Kept(bytes)) => self.send(Found::Unit(Unit {
                path: Arc::from(member),
                bytes: Bytes::Shared(bytes.clone()),
                named: false,
            })),
            Some(Target::Skipped(why)) => self.send(Found::Skipped {
                path: Arc::from(member),
                why: format!("hard link to {shown}: {why}"),
            }),
            Some(Target::Other) => self.send(Found::Skipped {
                path: Arc::from(member),
                why: format!("hard link to {shown}, an archive or unreadable member"),
            }),
            Some(Target::Dropped) => self.problem(
                member,
                format!(
                    "hard link to {shown}, whose content is no longer held (more than {} MiB of dumps before it)",
                    LINK_KEEP >> 20
                ),
            ),
            None => self.problem(
                member,
                format!("hard link to {shown}, which is not an earlier member of the archive"),
            ),
        }
    }

    /// A zip archive read through its central directory, or, where that is
    /// missing or damaged (a cut download), through its local headers.
    fn zip<R: Read + Seek>(&mut self, path: &str, reader: R, depth: u32) -> Flow {
        self.scoped(path, |w| w.zip_members(path, reader, depth))
    }

    fn zip_members<R: Read + Seek>(&mut self, path: &str, mut reader: R, depth: u32) -> Flow {
        let why = match zip::ZipArchive::new(&mut reader) {
            Ok(mut archive) => return self.zip_directory(path, &mut archive, depth),
            Err(e) => e.to_string(),
        };
        if let Err(e) = reader.rewind() {
            return self.problem(path, format!("reading zip archive: {why}; {e}"));
        }
        self.zip_local(path, &mut reader, &why, depth)
    }

    fn zip_directory<R: Read + Seek>(
        &mut self,
        path: &str,
        archive: &mut zip::ZipArchive<R>,
        depth: u32,
    ) -> Flow {
        let mut count = 0u64;
        for i in 0..archive.len() {
            if self.broken || self.stopped {
                break;
            }
            let mut file = match archive.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    if self.problem(path, format!("reading zip member {}: {e}", i + 1))
                        == Flow::Stop
                    {
                        return Flow::Stop;
                    }
                    continue;
                }
            };
            if file.is_dir() || file.is_symlink() {
                continue;
            }
            count += 1;
            let name = file.name_raw().to_vec();
            let (size, packed) = (file.size(), file.compressed_size());
            match self.zip_member(path, &name, size, packed, &mut file, count, depth) {
                Flow::Stop => return Flow::Stop,
                Flow::StopArchive | Flow::Continue => {}
            }
        }
        Flow::Continue
    }

    /// Members one after another from their local headers, as far as they
    /// go; then one error that says the directory was missing and where
    /// reading stopped.
    fn zip_local<R: Read + Seek>(
        &mut self,
        path: &str,
        reader: &mut R,
        why: &str,
        depth: u32,
    ) -> Flow {
        let mut count = 0u64;
        let mut seen = 0u64;
        let end = loop {
            if self.broken || self.stopped {
                return if self.stopped {
                    Flow::Stop
                } else {
                    Flow::Continue
                };
            }
            let sizes = match self.zip_sizes_after_data(reader) {
                Ok(sizes) => sizes,
                Err(e) => break Some(e),
            };
            let mut file = match read_local_member(reader, sizes) {
                Ok(Some(f)) => f,
                Ok(None) => break None,
                Err(e) => break Some(e.to_string()),
            };
            seen += 1;
            let flow = if file.is_dir() || file.is_symlink() {
                Flow::Continue
            } else {
                count += 1;
                let name = file.name_raw().to_vec();
                let (size, packed) = (file.size(), file.compressed_size());
                self.zip_member(path, &name, size, packed, &mut file, count, depth)
            };
            // Past the data (the member's drop), then past its descriptor.
            drop(file);
            match flow {
                Flow::Stop => return Flow::Stop,
                Flow::StopArchive => break Some("a member could not be read".to_string()),
                Flow::Continue => {}
            }
            if let Some((at, d)) = sizes
                && let Err(e) = reader.seek(io::SeekFrom::Start(at + d.compressed + d.len))
            {
                break Some(e.to_string());
            }
        };
        let stopped = match end {
            Some(e) => format!(", then stopped: {e}"),
            None => String::new(),
        };
        self.problem(
            path,
            format!(
                "damaged zip archive ({why}): read {seen} members from their local headers{stopped}"
            ),
        )
    }

    /// For the member at the reader's position whose sizes follow its data
    /// (flag bit 3), where its data starts and its data descriptor; `None`
    /// for a member with sizes in its header, or no member at all. The
    /// reader is left at the member's header.
    fn zip_sizes_after_data<R: Read + Seek>(
        &self,
        reader: &mut R,
    ) -> Result<Option<(u64, zip_descriptor::Descriptor)>, String> {
        let at = reader.stream_position().map_err(|e| e.to_string())?;
        let mut sig = [0u8; 4];
        let is_member = reader.read_exact(&mut sig).is_ok() && sig == *b"PK\x03\x04";
        let sizes = if is_member {
            let (start, after_data) =
                zip_descriptor::data_start(reader, at).map_err(|e| e.to_string())?;
            if after_data {
                // Deflate never grows data by more than a few bytes per block.
                let limit = self
                    .limits
                    .member
                    .saturating_add(self.limits.member / 64 + (1 << 20));
                match zip_descriptor::find(reader, start, limit).map_err(|e| e.to_string())? {
                    Some(d) => Some((start, d)),
                    None => {
                        return Err(format!(
                            "member at offset {at} has its sizes after its data, and no data descriptor that fits follows"
                        ));
                    }
                }
            } else {
                None
            }
        } else {
            None
        };
        reader
            .seek(io::SeekFrom::Start(at))
            .map_err(|e| e.to_string())?;
        Ok(sizes)
    }

    /// One zip member, after the archive's member limits.
    #[allow(clippy::too_many_arguments)]
    fn zip_member(
        &mut self,
        path: &str,
        name: &[u8],
        size: u64,
        packed: u64,
        file: &mut dyn Read,
        count: u64,
        depth: u32,
    ) -> Flow {
        let member = format!("{path}!/{}", String::from_utf8_lossy(name));
        match self.admit(path, &member, count, size) {
            Admit::Read => {}
            Admit::Skip => return Flow::Continue,
            Admit::End(flow) => return flow,
        }
        // Declared sizes can lie: the meter checks what really comes out.
        let compressed = Rc::new(Cell::new(packed));
        let mut stream = Meter::new(file, compressed, self.tally.clone(), self.limits);
        let mut head = Vec::new();
        match read_up_to(&mut stream, &mut head, HEAD_LEN) {
            Ok(()) => self.member(member, head, &mut stream, depth, false),
            Err(e) if head.is_empty() || breach_of(&e).is_some() => {
                self.io_problem(&member, "reading zip member", &e)
            }
            Err(e) => self.whole(member, head, Some(e), false),
        }
    }

    /// The limits an archive member must pass before it is read: the
    /// archive's member count (the `count`-th member) and the member's
    /// declared size. Declared sizes can lie; the reader meters the rest.
    fn admit(&mut self, archive: &str, member: &str, count: u64, declared: u64) -> Admit {
        if count > self.limits.members {
            let msg = format!(
                "more than {} members (raise --max-members); rest of archive skipped",
                self.limits.members
            );
            return Admit::End(self.problem(archive, msg));
        }
        if declared > self.limits.member {
            let msg = self.limits.member_message();
            return match self.problem(member, msg) {
                Flow::Stop => Admit::End(Flow::Stop),
                _ => Admit::Skip,
            };
        }
        Admit::Read
    }

    /// One file out of an archive, whose first bytes are `head` and the
    /// rest still in `rest`.
    fn member(
        &mut self,
        path: String,
        head: Vec<u8>,
        rest: &mut dyn Read,
        depth: u32,
        named: bool,
    ) -> Flow {
        match self.gather(&path, head, rest, depth, named) {
            Gathered::Done(flow, _) => flow,
            Gathered::Dump(bytes, cut) => self.unit(path, Bytes::Owned(bytes), cut, named),
        }
    }

    /// A member whose reading broke after `head` (all there is of it).
    fn whole(&mut self, path: String, head: Vec<u8>, cut: Option<io::Error>, named: bool) -> Flow {
        match self.verdict(&path, &head, named) {
            // Passed over, but the archive still broke here: say so.
            Some(Flow::Continue) => match cut {
                Some(e) => {
                    let what = format!("cut short after {} bytes of this member", head.len());
                    self.io_problem(&path, &what, &e)
                }
                None => Flow::Continue,
            },
            Some(flow) => flow,
            None => self.unit(path, Bytes::Owned(head), cut, named),
        }
    }

    /// Hands a dump on, then tells how it was cut short, if it was: the
    /// complete records before the break still count.
    fn unit(&mut self, path: String, bytes: Bytes, cut: Option<io::Error>, named: bool) -> Flow {
        let len = bytes.len();
        let path: Arc<str> = Arc::from(path);
        let flow = self.send(Found::Unit(Unit {
            path: path.clone(),
            bytes,
            named,
        }));
        match cut {
            Some(e) if flow != Flow::Stop => {
                let what = format!("cut short after {len} bytes of this member");
                self.io_problem(&path, &what, &e)
            }
            _ => flow,
        }
    }

    /// `Some(flow)` when `head` shows the member is not to be read (not a
    /// dump, empty, binary), already told.
    fn verdict(&mut self, path: &str, head: &[u8], named: bool) -> Option<Flow> {
        let text = decode::decode(head).text;
        if named || self.forced {
            // Named or forced inputs are read whatever they look like, but
            // binary data is refused before it is inflated whole.
            let why = detect::binary(&text[..text.len().min(HEAD_LEN)])?;
            return Some(if named {
                self.problem(path, why)
            } else {
                self.send(Found::Skipped {
                    path: Arc::from(path),
                    why,
                })
            });
        }
        // Skip logs, metrics and binaries without reading them whole.
        let why = match detect::detect(&text) {
            Detection::NotADump(why) => why,
            Detection::Empty => "empty".to_string(),
            Detection::Dump(_) => return None,
        };
        Some(self.send(Found::Skipped {
            path: Arc::from(path),
            why,
        }))
    }

    /// Reads a member whose first bytes are `head`: into an archive, a
    /// skip, or a dump's bytes (within `--max-member-size`).
    fn gather(
        &mut self,
        path: &str,
        head: Vec<u8>,
        rest: &mut dyn Read,
        depth: u32,
        named: bool,
    ) -> Gathered {
        if let Some(kind) = sniff(&head) {
            let reader = Box::new(Cursor::new(head).chain(rest));
            let flow = self.open(path, Src::Stream(reader), kind, depth + 1, false);
            return Gathered::Done(flow, Target::Other);
        }
        if !named && !self.forced {
            // Not a dump: offered to the bundle as evidence (a log, a node
            // journal), read as a stream there, else passed over.
            let why = match detect::detect(&decode::decode(&head).text) {
                Detection::NotADump(why) => Some(why),
                Detection::Empty => Some("empty".to_string()),
                Detection::Dump(_) => None,
            };
            if let Some(why) = why {
                let flow = self.send(Found::Other {
                    path: Arc::from(path),
                    why: why.clone(),
                    head: &head,
                    rest,
                });
                return Gathered::Done(flow, Target::Skipped(why));
            }
        }
        if let Some(flow) = self.verdict(path, &head, named) {
            let why = "not a dump".to_string();
            return Gathered::Done(flow, Target::Skipped(why));
        }
        let mut bytes = head;
        let limits = self.limits;
        if bytes.len() as u64 > limits.member {
            let flow = self.problem(path, limits.member_message());
            return Gathered::Done(flow, Target::Other);
        }
        match read_to_end_limited(rest, &mut bytes, limits.member, || limits.member_message()) {
            Ok(()) => Gathered::Dump(bytes, None),
            // A member over its own limit is skipped; the archive goes on.
            Err(e) if breach_of(&e).is_some_and(|b| b.scope == Scope::Member) => {
                Gathered::Done(self.problem(path, e.to_string()), Target::Other)
            }
            Err(e) if breach_of(&e).is_some() => {
                Gathered::Done(self.io_problem(path, "reading", &e), Target::Other)
            }
            // Damage (a cut, a bad checksum): what came before still counts.
            Err(e) => Gathered::Dump(bytes, Some(e)),
        }
    }
}

/// How an archive broke, in words: a cut shows as an early end of data.
fn damage(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        format!("the data ends early, the file was cut short ({e})")
    } else {
        e.to_string()
    }
}

/// Memory an xz/lzma decoder may take: four times what `xz -9` needs.
const XZ_MEMLIMIT: u64 = 256 << 20;

/// The next member from its local header, its sizes taken from its data
/// descriptor when they follow its data; `None` at the central directory.
fn read_local_member<R: Read>(
    reader: &mut R,
    sizes: Option<(u64, zip_descriptor::Descriptor)>,
) -> zip::result::ZipResult<Option<zip::read::ZipFile<'_, R>>> {
    match sizes {
        None => zip::read::read_zipfile_from_stream(reader),
        Some((_, d)) => zip::read::read_zipfile_from_stream_with_options(
            reader,
            zip::read::ZipReadOptions::new()
                .override_compressed_size(d.compressed)
                .override_uncompressed_size(d.uncompressed)
                .override_crc(d.crc),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff(b"\x1f\x8b\x08\x00"), Some(Kind::Gzip));
        assert_eq!(sniff(b"\xfd7zXZ\x00\x00"), Some(Kind::Xz));
        assert_eq!(sniff(b"\x28\xb5\x2f\xfd\x00"), Some(Kind::Zstd));
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(Kind::Zip));
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&tar), Some(Kind::Tar));
        assert_eq!(sniff(b"Name: x\n"), None);
    }

    /// Found by the archive_xz fuzzer: a legacy .lzma header asking for a
    /// 4 GiB dictionary was allocated. Now the decoder's memory limit
    /// refuses it with an error.
    #[test]
    fn an_lzma_header_asking_for_4_gib_is_refused() {
        let mut data = vec![0x5d];
        data.extend_from_slice(&u32::MAX.to_le_bytes()); // dictionary size
        data.extend_from_slice(&u64::MAX.to_le_bytes()); // size unknown
        data.extend_from_slice(&[0; 64]);
        let limits = Limits {
            member: 1 << 20,
            archive: 8 << 20,
            ratio: 1000,
            depth: 4,
            members: 1000,
        };
        let mut problems = Vec::new();
        let mut sink = |found: Found| {
            if let Found::Problem { message, .. } = found {
                problems.push(message);
            }
            true
        };
        Walker::new(limits, false, &mut sink).top("x.lzma", Src::Slice(&data), Kind::Xz, false);
        assert!(
            problems.iter().any(|m| m.contains("memory limit")),
            "{problems:?}"
        );
    }
}
