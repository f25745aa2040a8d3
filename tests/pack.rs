//! Builds test archives in memory: tar, gzip, xz, zstd and zip.

use std::io::{Cursor, Write};

/// A tar of `(name, bytes)` members, GNU headers, mode 0644.
pub fn tar<N: AsRef<str>, D: AsRef<[u8]>>(files: &[(N, D)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let data = data.as_ref();
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name.as_ref(), data).unwrap();
    }
    b.into_inner().unwrap()
}

pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zst(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 1).unwrap()
}

/// A zip of deflated `(name, bytes)` members, central directory included.
pub fn zip<N: AsRef<str>, D: AsRef<[u8]>>(files: &[(N, D)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(name.as_ref(), opts).unwrap();
        w.write_all(data.as_ref()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The local part of a zip as streaming writers make it: each member
/// deflated with its sizes in a data descriptor after the data (flag bit
/// 3), `signed` or not, and no central directory (as if cut off). A name
/// ending in `/` is a directory entry.
pub fn zip_streamed_without_directory<N: AsRef<str>, D: AsRef<[u8]>>(
    files: &[(N, D)],
    signed: bool,
) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        let (name, data) = (name.as_ref().as_bytes(), data.as_ref());
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        let packed = e.finish().unwrap();
        let mut crc = flate2::Crc::new();
        crc.update(data);
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&8u16.to_le_bytes()); // flags: sizes after the data
        out.extend_from_slice(&8u16.to_le_bytes()); // deflated
        out.extend_from_slice(&[0; 4]); // time, date
        out.extend_from_slice(&[0; 12]); // crc and sizes: in the descriptor
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&packed);
        if signed {
            out.extend_from_slice(b"PK\x07\x08");
        }
        for v in [crc.sum(), packed.len() as u32, data.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}
