//! The bodies the fuzz targets share: one target per parser and per
//! archive reader, each a one-line call into here so the checks are the
//! same for all of them.

use exitparse::format::{self, Chunk, Parser};
use exitparse::input::archive::{Kind, Src, Walker};
use exitparse::input::{Found, Limits};

/// A parser on arbitrary bytes, whole and cut at its own record
/// boundaries: it must never panic, hang or lose track of its offsets.
pub fn parser(parser: Parser, data: &[u8]) {
    let whole = format::parse(parser, Chunk::whole(data));
    for o in &whole.observations {
        assert!(o.offset <= data.len() as u64, "offset past the input");
    }
    for cut in format::boundaries(parser, data, 1) {
        assert!(cut <= data.len(), "boundary past the input");
        let _ = format::parse(
            parser,
            Chunk {
                bytes: &data[cut..],
                first_line: 1,
                first_offset: cut as u64,
            },
        );
    }
}

/// An archive reader on arbitrary bytes (nested archives included), within
/// small limits: never a panic, and every member handed out within them.
pub fn archive(kind: Kind, data: &[u8]) {
    let limits = Limits {
        member: 1 << 20,
        archive: 8 << 20,
        ratio: 1000,
        depth: 4,
        members: 1000,
    };
    let mut sink = |found: Found| {
        if let Found::Unit(u) = found {
            assert!(
                u.bytes.len() as u64 <= limits.member,
                "member over the limit"
            );
        }
        true
    };
    Walker::new(limits, false, &mut sink).top("fuzz", Src::Slice(data), kind, false);
}
