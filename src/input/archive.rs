//! Archives: `.tar`, `.tar.gz`/`.tgz`, `.tar.xz`, `.tar.zst`, `.zip`, single
//! `.gz`/`.xz`/`.zst` files, and archives nested inside archives. Kinds are
//! told from magic bytes, never from names. Members stream out of the
//! archive one after another; each is read into memory only when its first
//! bytes look like a dump (or an archive), within the limits of [`Limits`].

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;
use std::sync::Arc;

use super::limits::{Counted, Limits, Meter, Scope, breach_of, read_to_end_limited, read_up_to};
use super::{Bytes, Found, Unit, decode};
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

/// Reads archives and hands out their members as [`Found`] values.
pub struct Walker<'s> {
    limits: Limits,
    /// `--input-format` given: keep every member that is not an archive.
    forced: bool,
    sink: &'s mut dyn FnMut(Found<'_>) -> bool,
    /// Decompressed bytes of the current top-level archive.
    total: Rc<Cell<u64>>,
    /// The top-level archive hit `--max-archive-size` (already told).
    broken: bool,
    stopped: bool,
}

impl<'s> Walker<'s> {
    pub fn new(limits: Limits, forced: bool, sink: &'s mut dyn FnMut(Found<'_>) -> bool) -> Self {
        Walker {
            limits,
            forced,
            sink,
            total: Rc::new(Cell::new(0)),
            broken: false,
            stopped: false,
        }
    }

    /// Reads one top-level archive. `named`: the path was given on the
    /// command line (a single compressed file is then an input of its own).
    /// Returns false once the consumer is gone.
    pub fn top(&mut self, path: &str, src: Src<'_>, kind: Kind, named: bool) -> bool {
        self.total.set(0);
        self.broken = false;
        let _ = self.open(path, src, kind, 1, named);
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
            None => format!("{what}: {e}"),
        };
        match self.problem(path, message) {
            Flow::Stop => Flow::Stop,
            _ => Flow::StopArchive,
        }
    }

    fn open(&mut self, path: &str, src: Src<'_>, kind: Kind, depth: u32, named: bool) -> Flow {
        if depth > self.limits.depth {
            return self.problem(
                path,
                format!(
                    "archives nested deeper than {} levels (raise --max-depth)",
                    self.limits.depth
                ),
            );
        }
        let flow = match (kind, src) {
            (Kind::Zip, Src::Slice(data)) => self.zip(path, data, depth),
            (Kind::Zip, Src::Stream(mut r)) => {
                // The central directory sits at the end: a streamed zip is
                // gathered first, within the archive limit.
                let mut data = Vec::new();
                let limit = self.limits.archive;
                match read_to_end_limited(&mut r, &mut data, limit, || {
                    format!(
                        "zip archive larger than {} MiB (raise --max-archive-size)",
                        limit / (1024 * 1024)
                    )
                }) {
                    Ok(()) => self.zip(path, &data, depth),
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
        let decoder: Box<dyn Read + '_> = match kind {
            Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(counted)),
            Kind::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(counted)),
            Kind::Zstd => match zstd::stream::read::Decoder::new(counted) {
                Ok(d) => Box::new(d),
                Err(e) => return self.io_problem(path, "reading zstd stream", &e),
            },
            Kind::Zip | Kind::Tar => unreachable!("not a compression format"),
        };
        let mut stream = Meter::new(decoder, compressed, self.total.clone(), self.limits);
        let mut head = Vec::new();
        if let Err(e) = read_up_to(&mut stream, &mut head, HEAD_LEN) {
            return self.io_problem(path, "decompressing", &e);
        }
        if sniff(&head) == Some(Kind::Tar) {
            let reader = Box::new(Cursor::new(head).chain(stream));
            return self.tar(path, reader, depth);
        }
        // A single compressed file: it keeps the archive's own name.
        self.member(path.to_string(), head, &mut stream, depth, named)
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
        for entry in entries {
            if self.broken || self.stopped {
                break;
            }
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => return self.io_problem(path, "reading tar archive", &e),
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            count += 1;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let member = format!("{path}!/{name}");
            match self.admit(path, &member, count, entry.size()) {
                Admit::Read => {}
                Admit::Skip => continue,
                Admit::End(flow) => return flow,
            }
            let mut head = Vec::new();
            if let Err(e) = read_up_to(&mut entry, &mut head, HEAD_LEN) {
                return self.io_problem(&member, "reading tar archive", &e);
            }
            match self.member(member, head, &mut entry, depth, false) {
                Flow::Continue => {}
                other => return other,
            }
        }
        Flow::Continue
    }

    fn zip(&mut self, path: &str, data: &[u8], depth: u32) -> Flow {
        self.scoped(path, |w| w.zip_members(path, data, depth))
    }

    fn zip_members(&mut self, path: &str, data: &[u8], depth: u32) -> Flow {
        let mut archive = match zip::ZipArchive::new(Cursor::new(data)) {
            Ok(a) => a,
            Err(e) => return self.problem(path, format!("reading zip archive: {e}")),
        };
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
            let member = format!("{path}!/{}", String::from_utf8_lossy(file.name_raw()));
            match self.admit(path, &member, count, file.size()) {
                Admit::Read => {}
                Admit::Skip => continue,
                Admit::End(flow) => return flow,
            }
            // Declared sizes can lie: the meter checks what really comes out.
            let compressed = Rc::new(Cell::new(file.compressed_size()));
            let mut stream = Meter::new(&mut file, compressed, self.total.clone(), self.limits);
            let mut head = Vec::new();
            let flow = match read_up_to(&mut stream, &mut head, HEAD_LEN) {
                Ok(()) => self.member(member, head, &mut stream, depth, false),
                Err(e) => self.io_problem(&member, "reading zip member", &e),
            };
            // Zip members are independent: one bad member leaves the rest.
            if flow == Flow::Stop {
                return Flow::Stop;
            }
        }
        Flow::Continue
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
        if let Some(kind) = sniff(&head) {
            let reader = Box::new(Cursor::new(head).chain(rest));
            return self.open(&path, Src::Stream(reader), kind, depth + 1, false);
        }
        if !named && !self.forced {
            // Skip logs, metrics and binaries without reading them whole.
            let why = match detect::detect(&decode::decode(&head).text) {
                Detection::NotADump(why) => Some(why),
                Detection::Empty => Some("empty".to_string()),
                Detection::Dump(_) => None,
            };
            if let Some(why) = why {
                return self.send(Found::Other {
                    path: Arc::from(path),
                    why,
                    head: &head,
                    rest,
                });
            }
        }
        let mut bytes = head;
        let limits = self.limits;
        if bytes.len() as u64 > limits.member {
            return self.problem(&path, limits.member_message());
        }
        if let Err(e) =
            read_to_end_limited(rest, &mut bytes, limits.member, || limits.member_message())
        {
            // A member over its own limit is skipped; the archive goes on.
            if breach_of(&e).is_some_and(|b| b.scope == Scope::Member) {
                return self.problem(&path, e.to_string());
            }
            return self.io_problem(&path, "reading", &e);
        }
        self.send(Found::Unit(Unit {
            path: Arc::from(path),
            bytes: Bytes::Owned(bytes),
            named,
        }))
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
}
