//! The tar reader on arbitrary bytes (nested archives included), within
//! small limits: never a panic, and every member handed out within them.
#![no_main]

use exitparse::input::archive::{Kind, Src, Walker};
use exitparse::input::{Found, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        member: 1 << 20,
        archive: 8 << 20,
        ratio: 1000,
        depth: 4,
        members: 1000,
    };
    let mut sink = |found: Found| {
        if let Found::Unit(u) = found {
            assert!(u.bytes.len() as u64 <= limits.member, "member over the limit");
        }
        true
    };
    Walker::new(limits, false, &mut sink).top("fuzz", Src::Slice(data), Kind::Tar, false);
});
