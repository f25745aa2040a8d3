//! Format detection and decoding on arbitrary bytes: never a panic, and a
//! verdict for every input.
#![no_main]

use exitparse::format::detect;
use exitparse::input::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = decode::decode(data).text;
    let _ = detect::detect(&text);
    let _ = detect::binary(&text[..text.len().min(detect::HEAD_LEN)]);
    let mut d = decode::StreamDecoder::new();
    let mut out = Vec::new();
    for block in data.chunks(7) {
        d.feed(block, &mut out);
    }
    d.finish(&mut out);
    assert_eq!(out, &*text, "streamed decoding differs from whole");
});
