//! The gzip reader on arbitrary bytes (the checks: fuzz/src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exitparse_fuzz::archive(exitparse::input::archive::Kind::Gzip, data));
