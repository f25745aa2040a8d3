//! gzip streams as `gzip -d` reads them: members one after another, and
//! whatever follows the last member (the zero padding of a tape block, an
//! uploader's trailer) told once and otherwise ignored. flate2's
//! `MultiGzDecoder` fails on such bytes ("invalid gzip header"), which lost
//! every record of an otherwise whole archive.

use std::cell::RefCell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use flate2::bufread::GzDecoder;

/// What followed the gzip data, once the stream is read to its end.
pub type Trailer = Rc<RefCell<Option<String>>>;

/// Decompresses every gzip member of `inner` in turn.
pub struct Members<R: BufRead> {
    /// `None` once the stream has ended (or between members, briefly).
    decoder: Option<GzDecoder<R>>,
    trailer: Trailer,
    /// Decompressed bytes so far (for the trailer's message).
    out: u64,
}

impl<R: BufRead> Members<R> {
    pub fn new(inner: R, trailer: Trailer) -> Self {
        Members {
            decoder: Some(GzDecoder::new(inner)),
            trailer,
            out: 0,
        }
    }

    /// After a member: starts the next one, or reads what trails the data.
    /// Returns false at the end of the stream.
    fn next_member(&mut self) -> io::Result<bool> {
        let Some(decoder) = self.decoder.take() else {
            return Ok(false);
        };
        let mut inner = decoder.into_inner();
        let head = fill(&mut inner)?;
        if head.is_empty() {
            return Ok(false);
        }
        if head.starts_with(b"\x1f\x8b") {
            self.decoder = Some(GzDecoder::new(inner));
            return Ok(true);
        }
        // Not another member: count what is left and say what it was.
        let (mut len, mut zeros) = (0u64, true);
        loop {
            let buf = fill(&mut inner)?;
            if buf.is_empty() {
                break;
            }
            zeros &= buf.iter().all(|&b| b == 0);
            let n = buf.len();
            len += n as u64;
            inner.consume(n);
        }
        let what = if zeros {
            "zero bytes"
        } else {
            "bytes of trailing data"
        };
        *self.trailer.borrow_mut() = Some(format!(
            "{len} {what} after the end of the gzip data ignored ({} bytes decompressed before them)",
            self.out
        ));
        Ok(false)
    }
}

fn fill<R: BufRead>(r: &mut R) -> io::Result<&[u8]> {
    r.fill_buf()
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(decoder) = self.decoder.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 {
                self.out += n as u64;
                return Ok(n);
            }
            if !self.next_member()? {
                return Ok(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: &[u8]) -> (io::Result<Vec<u8>>, Option<String>) {
        let trailer = Trailer::default();
        let mut r = Members::new(io::BufReader::new(bytes), trailer.clone());
        let mut out = Vec::new();
        let res = r.read_to_end(&mut out).map(|_| out);
        let t = trailer.borrow().clone();
        (res, t)
    }

    #[test]
    fn members_are_joined() {
        let mut b = gz(b"one ");
        b.extend(gz(b"two"));
        let (out, trailer) = read_all(&b);
        assert_eq!(out.unwrap(), b"one two");
        assert_eq!(trailer, None);
    }

    #[test]
    fn trailing_zeros_and_garbage_are_told_not_fatal() {
        let mut b = gz(b"data");
        b.extend([0u8; 512]);
        let (out, trailer) = read_all(&b);
        assert_eq!(out.unwrap(), b"data");
        assert!(trailer.unwrap().starts_with("512 zero bytes"));
        let mut b = gz(b"data");
        b.extend(b"garbage\n");
        let (out, trailer) = read_all(&b);
        assert_eq!(out.unwrap(), b"data");
        assert!(trailer.unwrap().starts_with("8 bytes of trailing data"));
    }

    #[test]
    fn a_cut_stream_is_an_error_after_its_data() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let b = gz(&data);
        let trailer = Trailer::default();
        let mut r = Members::new(io::BufReader::new(&b[..b.len() / 2]), trailer);
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_err());
        assert!(!out.is_empty() && data.starts_with(&out));
    }
}
