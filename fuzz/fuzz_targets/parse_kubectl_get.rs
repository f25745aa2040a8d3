//! The kubectl_get parser on arbitrary bytes, whole and cut at its own record
//! boundaries: it must never panic, hang or lose track of its offsets.
#![no_main]

use exitparse::format::{self, Chunk, Parser};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = format::parse(Parser::KubectlGetPods, Chunk::whole(data));
    for o in &whole.observations {
        assert!(o.offset <= data.len() as u64, "offset past the input");
    }
    for cut in format::boundaries(Parser::KubectlGetPods, data, 1) {
        assert!(cut <= data.len(), "boundary past the input");
        let _ = format::parse(
            Parser::KubectlGetPods,
            Chunk {
                bytes: &data[cut..],
                first_line: 1,
                first_offset: cut as u64,
            },
        );
    }
});
