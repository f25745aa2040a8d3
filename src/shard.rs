//! `--shard I/N`: which inputs this process reads when N processes (or
//! machines) split one set of inputs. An input belongs to shard
//! `fnv1a64(path bytes) mod N`: a fixed function of the path as written, so
//! the split never depends on the order of the inputs, the machine, the Rust
//! version or the run. What is placed is a path named on the command line
//! (a bundle root): a directory with everything under it, an archive with
//! all its members, a plain file on its own; a bundle is never split, so
//! its joins hold in whichever shard reads it.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// One shard of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Shard {
    /// Whether the input at `path` (as written on the command line)
    /// belongs to this shard.
    pub fn picks(&self, path: &Path) -> bool {
        fnv1a64(path.as_os_str().as_encoded_bytes()) % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not I/N (e.g. 0/4: the first of four shards)"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("{i:?} in {s:?} is not a shard number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("{n:?} in {s:?} is not a shard count"))?;
        if count == 0 {
            return Err(format!("{s:?}: the shard count must be at least 1"));
        }
        if index >= count {
            return Err(format!(
                "{s:?}: shards are numbered 0 to {} (I must be less than N)",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!("1/4".parse(), Ok(Shard { index: 1, count: 4 }));
        assert!("3/2".parse::<Shard>().unwrap_err().contains("0 to 1"));
        assert!("0/0".parse::<Shard>().unwrap_err().contains("at least 1"));
        assert!("2".parse::<Shard>().is_err());
        assert!("-1/2".parse::<Shard>().is_err());
    }

    #[test]
    fn every_path_lands_in_exactly_one_shard() {
        for p in ["a.txt", "dumps/b.json", "x/y/z.tar.gz", ""] {
            let hits = (0..5)
                .filter(|&i| Shard { index: i, count: 5 }.picks(Path::new(p)))
                .count();
            assert_eq!(hits, 1, "{p}");
        }
    }
}
