//! What reaches a terminal: control characters stripped from input values,
//! the colour decision (`--color`, `NO_COLOR`, `TERM=dumb`) and the width
//! tables fit.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::classify::Severity;
use crate::cli::ColorWhen;

/// `--color` as given (0 auto, 1 always, 2 never); set once by `main`.
static COLOR: AtomicU8 = AtomicU8::new(0);

/// Records `--color` for [`color_enabled`].
pub fn set_color(when: ColorWhen) {
    let v = match when {
        ColorWhen::Auto => 0,
        ColorWhen::Always => 1,
        ColorWhen::Never => 2,
    };
    COLOR.store(v, Ordering::Relaxed);
}

/// True when output for people is coloured: `--color always`, or `auto`
/// (the default) with stdout a terminal, `NO_COLOR` unset or empty
/// (<https://no-color.org>) and `TERM` not `dumb`.
pub fn color_enabled() -> bool {
    match COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => auto_color(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
            std::io::stdout().is_terminal(),
        ),
    }
}

/// The `auto` rule, apart from the process's environment for testing.
fn auto_color(
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
    tty: bool,
) -> bool {
    let no_color = no_color.is_some_and(|v| !v.is_empty());
    let dumb = term.is_some_and(|t| t == "dumb");
    tty && !no_color && !dumb
}

/// True for characters that must not reach a terminal or a spreadsheet
/// from input data: C0 and C1 controls (ESC starts colour and cursor
/// sequences, CR overwrites a line, C1 CSI is ESC [ in one byte), the
/// bidirectional marks and overrides that reorder what is shown (U+061C,
/// U+200E/F, U+202A-E, U+2066-9), line and paragraph separators (U+2028/9:
/// line breaks to many viewers) and the invisible characters that make two
/// names look alike (zero-width space and joiners U+200B-D, word joiner and
/// invisible operators U+2060-4, U+180E, the BOM U+FEFF).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `s` with every unsafe character written as a visible escape (`\n`,
/// `\x1b`, `\u{202e}`), for names on stderr: a file called `a\nb` must
/// neither forge a second diagnostic line nor be confused with `a b`. A
/// backslash is doubled only when something was escaped, so ordinary
/// Windows-style names read as they are.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` with every control character replaced by a space, so a hostile or
/// multi-line value can neither move the cursor nor break a table row.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { ' ' } else { c })
            .collect(),
    )
}

/// The ANSI SGR colour for a severity.
fn sgr(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "\x1b[32m",
        Severity::Info => "\x1b[36m",
        Severity::Warning => "\x1b[33m",
        Severity::Error => "\x1b[1;31m",
    }
}

/// `text` wrapped in the severity's colour when `color` is on.
pub fn paint(text: &str, severity: Severity, color: bool) -> Cow<'_, str> {
    if color {
        Cow::Owned(format!("{}{text}\x1b[0m", sgr(severity)))
    } else {
        Cow::Borrowed(text)
    }
}

/// Number of terminal columns `s` takes (East Asian wide characters count
/// two, combining marks none).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in `…` when it was cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        // Leave one column for the ellipsis.
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// The columns tables must fit, when stdout is a terminal: `COLUMNS` when
/// it is a positive number (as `ls` reads it), else the size the terminal
/// reports. `None` when stdout is a pipe or a file: such output keeps every
/// cell whole.
pub fn stdout_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    columns.or_else(|| {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_replaces_escapes_and_newlines() {
        assert_eq!(sanitize("a\x1b[31mb\nc\r\u{9b}d"), "a [31mb c  d");
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("x\u{202E}y"), "x y");
        for c in [
            '\u{200B}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{2029}', '\u{FEFF}',
        ] {
            assert_eq!(sanitize(&format!("a{c}b")), "a b", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escape_makes_names_visible_and_one_line() {
        assert_eq!(escape("plain\\name"), "plain\\name");
        assert_eq!(
            escape("a\nexitparse: x\x1b]0;t\x07\u{9b}2J\u{202e}z\\"),
            "a\\nexitparse: x\\x1b]0;t\\x07\\x9b2J\\u{202e}z\\\\"
        );
        assert_eq!(escape("\r\u{2028}\u{feff}"), "\\r\\u{2028}\\u{feff}");
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(width("日本語"), 6);
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("ab", 0), "");
    }

    proptest::proptest! {
        #[test]
        fn nothing_unsafe_survives(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}a-z\\u{202e}\\u{200b}\\u{2028}\\u{feff}]*") {
            let clean = sanitize(&s);
            proptest::prop_assert!(!clean.chars().any(is_unsafe));
            proptest::prop_assert_eq!(clean.chars().count(), s.chars().count());
            let shown = escape(&s);
            proptest::prop_assert!(!shown.chars().any(is_unsafe));
        }

        #[test]
        fn truncate_never_exceeds(s in "\\PC*", max in 0usize..20) {
            let cut = truncate(&s, max);
            proptest::prop_assert!(width(&cut) <= max);
            if width(&s) <= max {
                proptest::prop_assert_eq!(cut.as_ref(), s.as_str());
            }
        }
    }

    #[test]
    fn auto_colour_honours_no_color_and_dumb_terminals() {
        use std::ffi::OsStr;
        assert!(auto_color(None, Some(OsStr::new("xterm-256color")), true));
        assert!(!auto_color(None, Some(OsStr::new("xterm")), false));
        assert!(!auto_color(Some(OsStr::new("1")), None, true));
        // An empty NO_COLOR is unset (no-color.org).
        assert!(auto_color(Some(OsStr::new("")), None, true));
        assert!(!auto_color(None, Some(OsStr::new("dumb")), true));
    }

    #[test]
    fn paint_only_when_asked() {
        assert_eq!(paint("x", Severity::Error, false), "x");
        assert_eq!(paint("x", Severity::Ok, true), "\x1b[32mx\x1b[0m");
    }
}
