//! Lines of a reader in bounded memory: a line longer than the limit is cut
//! there and the rest of it skipped, so a binary file or a log without
//! newlines never makes a buffer grow past the limit.

use std::io::{self, BufRead};

/// Reads `\n`-terminated lines, each cut at `max_bytes`.
pub struct BoundedLines<R> {
    reader: R,
    max_bytes: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(reader: R, max_bytes: usize) -> Self {
        BoundedLines {
            reader,
            max_bytes: max_bytes.max(1),
            buf: Vec::new(),
        }
    }

    /// The next line without its `\n` (and cut at the limit), `None` at the
    /// end. A final line without `\n` is still a line; an empty input has
    /// none.
    pub fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        self.buf.clear();
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any.then_some(self.buf.as_slice()));
            }
            any = true;
            let (chunk, used, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            let room = self.max_bytes.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            self.reader.consume(used);
            if done {
                return Ok(Some(self.buf.as_slice()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize, chunk: usize) -> Vec<Vec<u8>> {
        let reader = io::BufReader::with_capacity(chunk, input);
        let mut lines = BoundedLines::new(reader, max);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            out.push(line.to_vec());
        }
        out
    }

    #[test]
    fn lines_are_cut_at_the_limit_whatever_the_read_size() {
        let input = b"short\nthis line is long\n\nlast";
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(
                all(input, 6, chunk),
                vec![
                    b"short".to_vec(),
                    b"this l".to_vec(),
                    vec![],
                    b"last".to_vec()
                ],
                "chunk {chunk}"
            );
        }
        assert!(all(b"", 6, 4).is_empty());
        assert_eq!(all(b"\n", 6, 4), vec![Vec::<u8>::new()]);
    }
}
