//! Decoding before detection. A UTF-8 BOM is dropped; UTF-16 with a BOM
//! (what Windows PowerShell 5.1 `>` saves) is transcoded to UTF-8; anything
//! else is passed on as bytes, since the parsers cope with invalid UTF-8.

use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// How an input is encoded, judged from its BOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or anything else: passed through.
    Bytes,
    /// UTF-8 with a BOM: the BOM is dropped.
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The encoding announced by the first bytes of an input.
    pub fn sniff(head: &[u8]) -> Encoding {
        if head.starts_with(UTF8_BOM) {
            Encoding::Utf8Bom
        } else if head.starts_with(UTF16LE_BOM) {
            Encoding::Utf16Le
        } else if head.starts_with(UTF16BE_BOM) {
            Encoding::Utf16Be
        } else {
            Encoding::Bytes
        }
    }

    fn bom_len(self) -> usize {
        match self {
            Encoding::Bytes => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }
}

/// An input ready for detection and parsing.
pub struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
    /// Offset of `text[0]` in the input as stored (3 after a UTF-8 BOM), so
    /// `source.offset` still points into the file. 0 after transcoding:
    /// offsets then count in the UTF-8 text.
    pub offset: u64,
}

/// Decodes a whole input.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let enc = Encoding::sniff(bytes);
    match enc {
        Encoding::Bytes => Decoded {
            text: Cow::Borrowed(bytes),
            offset: 0,
        },
        Encoding::Utf8Bom => Decoded {
            text: Cow::Borrowed(&bytes[3..]),
            offset: 3,
        },
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let mut d = StreamDecoder::with_encoding(enc);
            let mut out = Vec::with_capacity(bytes.len() / 2 + 16);
            d.feed(&bytes[2..], &mut out);
            d.finish(&mut out);
            Decoded {
                text: Cow::Owned(out),
                offset: 0,
            }
        }
    }
}

/// Decodes a stream block by block (stdin), keeping what straddles blocks:
/// an odd byte or the high half of a surrogate pair.
#[derive(Debug)]
pub struct StreamDecoder {
    enc: Option<Encoding>,
    carry: Vec<u8>,
}

impl Default for StreamDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamDecoder {
    /// A decoder that reads the BOM from the stream's first bytes.
    pub fn new() -> StreamDecoder {
        StreamDecoder {
            enc: None,
            carry: Vec::new(),
        }
    }

    fn with_encoding(enc: Encoding) -> StreamDecoder {
        StreamDecoder {
            enc: Some(enc),
            carry: Vec::new(),
        }
    }

    /// Bytes dropped from the front of the stream (a UTF-8 BOM), so offsets
    /// can still count in the stream as stored.
    pub fn skipped(&self) -> u64 {
        if self.enc == Some(Encoding::Utf8Bom) {
            3
        } else {
            0
        }
    }

    /// Decodes `block`, appending UTF-8 (or passed-through bytes) to `out`.
    pub fn feed(&mut self, block: &[u8], out: &mut Vec<u8>) {
        let enc = match self.enc {
            Some(e) => e,
            None => {
                self.carry.extend_from_slice(block);
                // Three bytes tell every BOM apart (and a shorter stream is
                // settled by `finish`).
                if self.carry.len() < 3 {
                    return;
                }
                let e = Encoding::sniff(&self.carry);
                self.enc = Some(e);
                let rest = self.carry.split_off(e.bom_len());
                self.carry.clear();
                self.feed(&rest, out);
                return;
            }
        };
        match enc {
            Encoding::Bytes | Encoding::Utf8Bom => out.extend_from_slice(block),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let joined;
                let data: &[u8] = if self.carry.is_empty() {
                    block
                } else {
                    let mut j = std::mem::take(&mut self.carry);
                    j.extend_from_slice(block);
                    joined = j;
                    &joined
                };
                let unit = |p: &[u8]| match enc {
                    Encoding::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
                    _ => u16::from_le_bytes([p[0], p[1]]),
                };
                let mut end = data.len() & !1;
                // Keep a trailing high surrogate for its partner in the next block.
                if end >= 2 && (0xD800..0xDC00).contains(&unit(&data[end - 2..end])) {
                    end -= 2;
                }
                let units = data[..end].chunks_exact(2).map(unit);
                let mut tmp = [0u8; 4];
                for c in char::decode_utf16(units) {
                    let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                    out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                self.carry = data[end..].to_vec();
            }
        }
    }

    /// Flushes what is left at the end of the stream.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        match self.enc {
            None => {
                let e = Encoding::sniff(&self.carry);
                let rest = self.carry.split_off(e.bom_len().min(self.carry.len()));
                self.carry.clear();
                if e == Encoding::Bytes || e == Encoding::Utf8Bom {
                    out.extend_from_slice(&rest);
                } else {
                    self.enc = Some(e);
                    self.feed(&rest, out);
                    self.finish(out);
                }
            }
            Some(Encoding::Bytes | Encoding::Utf8Bom) => {}
            Some(Encoding::Utf16Le | Encoding::Utf16Be) => {
                if !self.carry.is_empty() {
                    // An unpaired surrogate or a lone odd byte.
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                    self.carry.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn utf8_bom_is_dropped_and_offset_kept() {
        let d = decode(b"\xEF\xBB\xBFName: x\n");
        assert_eq!(&*d.text, b"Name: x\n");
        assert_eq!(d.offset, 3);
    }

    #[test]
    fn utf16le_is_transcoded() {
        let input = utf16le("Name: caf\u{e9} \u{1F600}\r\n");
        let d = decode(&input);
        assert_eq!(
            std::str::from_utf8(&d.text).unwrap(),
            "Name: caf\u{e9} \u{1F600}\r\n"
        );
    }

    #[test]
    fn utf16be_is_transcoded() {
        let mut v = vec![0xFE, 0xFF];
        for u in "Namespace: a".encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(&*decode(&v).text, b"Namespace: a");
    }

    #[test]
    fn stream_decoder_matches_whole_decode_at_any_split() {
        let input = utf16le("a\u{1F600}b\u{e9}\nName: z\n");
        let whole = decode(&input).text.into_owned();
        for split in 0..input.len() {
            for split2 in split..input.len() {
                let mut d = StreamDecoder::new();
                let mut out = Vec::new();
                d.feed(&input[..split], &mut out);
                d.feed(&input[split..split2], &mut out);
                d.feed(&input[split2..], &mut out);
                d.finish(&mut out);
                assert_eq!(out, whole, "split at {split}/{split2}");
            }
        }
    }

    #[test]
    fn plain_bytes_pass_through_even_invalid_utf8() {
        let mut d = StreamDecoder::new();
        let mut out = Vec::new();
        d.feed(b"N", &mut out);
        d.feed(b"a\xFFme", &mut out);
        d.finish(&mut out);
        assert_eq!(out, b"Na\xFFme");
        assert_eq!(&*decode(b"x\xFE").text, b"x\xFE");
    }

    #[test]
    fn odd_trailing_byte_becomes_replacement() {
        let mut v = utf16le("ab");
        v.push(b'c');
        assert_eq!(std::str::from_utf8(&decode(&v).text).unwrap(), "ab\u{FFFD}");
    }
}
