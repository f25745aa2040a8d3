//! Zip members whose sizes follow their data (general purpose flag bit 3,
//! what streaming writers such as `zip -` or Java's `ZipOutputStream`
//! produce). Their local header holds no sizes, so when the central
//! directory is missing (a cut download) the member's end is found by its
//! data descriptor: the first one after the data whose compressed size is
//! the distance from the data's start.

use std::io::{self, Read, Seek, SeekFrom};

/// A member's data descriptor, as found after its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptor {
    pub crc: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    /// The descriptor's own length (12 or 16 bytes, 20 or 24 for zip64),
    /// to skip after the data.
    pub len: u64,
}

const DESCRIPTOR: [u8; 4] = *b"PK\x07\x08";
const LOCAL_HEADER: [u8; 4] = *b"PK\x03\x04";
const CENTRAL_HEADER: [u8; 4] = *b"PK\x01\x02";
/// The local header's fixed part: signature to extra field length.
const HEADER_LEN: u64 = 30;
const CHUNK: usize = 1 << 20;
/// Bytes kept from one chunk to the next: a descriptor and the signature
/// after an unsigned one fit in it.
const CARRY: usize = 32;

/// The data start of the member whose local header is at `header`, and
/// whether its sizes follow its data (flag bit 3).
pub fn data_start<R: Read + Seek>(reader: &mut R, header: u64) -> io::Result<(u64, bool)> {
    let mut h = [0u8; HEADER_LEN as usize];
    reader.seek(SeekFrom::Start(header))?;
    reader.read_exact(&mut h)?;
    let flags = u16::from_le_bytes([h[6], h[7]]);
    let name = u64::from(u16::from_le_bytes([h[26], h[27]]));
    let extra = u64::from(u16::from_le_bytes([h[28], h[29]]));
    Ok((header + HEADER_LEN + name + extra, flags & 0x8 != 0))
}

/// The descriptor of the member whose data starts at `start`, looking at
/// most `limit` bytes ahead; `None` when there is none that fits.
pub fn find<R: Read + Seek>(
    reader: &mut R,
    start: u64,
    limit: u64,
) -> io::Result<Option<Descriptor>> {
    reader.seek(SeekFrom::Start(start))?;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + CARRY);
    // Absolute offset of buf[0], and the first offset not yet checked.
    let (mut base, mut next) = (start, start);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = read_some(reader, &mut chunk)?;
        let eof = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        // A candidate needs up to 24 bytes after its signature; near the
        // end of the buffer it waits for the next chunk, unless at EOF.
        let checkable = if eof {
            buf.len()
        } else {
            buf.len().saturating_sub(24)
        };
        let from = (next - base) as usize;
        for at in memchr::memmem::find_iter(&buf[from..checkable], b"PK").map(|i| from + i) {
            if let Some(d) = fits(&buf, at, base, start) {
                return Ok(Some(d));
            }
        }
        // An unsigned descriptor that ends the input (cut after it).
        if eof && let Some(d) = unsigned_at(&buf, buf.len().wrapping_sub(12), base, start) {
            return Ok(Some(d));
        }
        next = base + checkable as u64;
        if eof || next - start > limit {
            return Ok(None);
        }
        // Unchecked bytes stay, and CARRY before them for an unsigned
        // descriptor's look back.
        let done = checkable.saturating_sub(CARRY);
        buf.drain(..done);
        base += done as u64;
    }
}

/// The descriptor a `PK` at `buf[at]` ends, if its sizes fit: a signed
/// descriptor there, or an unsigned one just before the next header.
fn fits(buf: &[u8], at: usize, base: u64, start: u64) -> Option<Descriptor> {
    let here = base + at as u64;
    let sig = buf.get(at..at + 4)?;
    if sig == DESCRIPTOR {
        let data_len = here - start;
        if u64::from(le32(buf, at + 8)?) == data_len {
            return Some(Descriptor {
                crc: le32(buf, at + 4)?,
                compressed: data_len,
                uncompressed: u64::from(le32(buf, at + 12)?),
                len: 16,
            });
        }
        if le64(buf, at + 8)? == data_len {
            return Some(Descriptor {
                crc: le32(buf, at + 4)?,
                compressed: data_len,
                uncompressed: le64(buf, at + 16)?,
                len: 24,
            });
        }
    }
    if sig == LOCAL_HEADER || sig == CENTRAL_HEADER {
        return unsigned_at(buf, at.wrapping_sub(12), base, start);
    }
    None
}

/// An unsigned descriptor (crc, sizes) at `buf[d]` whose compressed size
/// is the distance from `start`.
fn unsigned_at(buf: &[u8], d: usize, base: u64, start: u64) -> Option<Descriptor> {
    let data_len = base.checked_add(d as u64)?.checked_sub(start)?;
    (u64::from(le32(buf, d.checked_add(4)?)?) == data_len).then_some(Descriptor {
        crc: le32(buf, d)?,
        compressed: data_len,
        uncompressed: u64::from(le32(buf, d + 8)?),
        len: 12,
    })
}

fn le32(buf: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(buf.get(at..at + 4)?.try_into().ok()?))
}

fn le64(buf: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(buf.get(at..at + 8)?.try_into().ok()?))
}

fn read_some<R: Read>(reader: &mut R, chunk: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(chunk) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn descriptor(signed: bool, crc: u32, c: u32, u: u32) -> Vec<u8> {
        let mut d = if signed {
            DESCRIPTOR.to_vec()
        } else {
            Vec::new()
        };
        for v in [crc, c, u] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d
    }

    #[test]
    fn a_signed_descriptor_is_found_past_a_look_alike_in_the_data() {
        // The data itself holds `PK\7\8` with a size that does not fit.
        let mut data = b"xxPK\x07\x08\0\0\0\0\x09\0\0\0\0\0\0\0yy".to_vec();
        data.resize(3 * CHUNK + 5, b'z');
        let mut file = b"HEAD".to_vec();
        file.extend_from_slice(&data);
        file.extend(descriptor(true, 7, data.len() as u32, 99));
        file.extend_from_slice(b"PK\x03\x04rest");
        let d = find(&mut Cursor::new(file), 4, u64::MAX).unwrap().unwrap();
        assert_eq!(
            d,
            Descriptor {
                crc: 7,
                compressed: data.len() as u64,
                uncompressed: 99,
                len: 16
            }
        );
    }

    #[test]
    fn an_unsigned_descriptor_is_found_before_the_next_header() {
        let mut file = b"H".to_vec();
        file.extend_from_slice(b"some data");
        file.extend(descriptor(false, 1, 9, 20));
        file.extend_from_slice(b"PK\x01\x02central");
        let d = find(&mut Cursor::new(file), 1, u64::MAX).unwrap().unwrap();
        assert_eq!(
            d,
            Descriptor {
                crc: 1,
                compressed: 9,
                uncompressed: 20,
                len: 12
            }
        );
    }

    #[test]
    fn no_descriptor_or_one_beyond_the_limit_is_none() {
        let file = vec![b'a'; 2 * CHUNK];
        assert_eq!(find(&mut Cursor::new(file), 0, u64::MAX).unwrap(), None);
        let mut file = vec![b'a'; 2 * CHUNK];
        file.extend(descriptor(true, 0, (2 * CHUNK) as u32, 0));
        assert_eq!(find(&mut Cursor::new(file.clone()), 0, 1024).unwrap(), None);
        assert!(find(&mut Cursor::new(file), 0, u64::MAX).unwrap().is_some());
    }
}
