//! The YAML parser on arbitrary bytes (the checks: fuzz/src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exitparse_fuzz::parser(exitparse::format::Parser::Yaml, data));
