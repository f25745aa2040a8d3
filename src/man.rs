//! `exitparse man [PAGE]`: man pages in roff, one per subcommand, from the
//! same command-line definition as `--help` and the completions. clap_mangen
//! writes the title, NAME, SYNOPSIS, DESCRIPTION, OPTIONS and SUBCOMMANDS;
//! EXAMPLES, ENVIRONMENT, EXIT STATUS and SEE ALSO are written here from the
//! lists in [`crate::cli`], as roff example blocks rather than clap's EXTRA
//! section (which runs the lines of `after_help` together).

use std::io::{self, Write};

use crate::cli::{self, Example, ManPage};

/// Writes the main page (`page` = None) or a subcommand's page.
pub fn write(page: Option<ManPage>, out: &mut dyn Write) -> io::Result<()> {
    let mut top = cli::command();
    // Building names the subcommands `exitparse-explain` (the page title)
    // and `exitparse explain` (the synopsis), and propagates global flags.
    top.build();
    let (cmd, examples) = match page {
        None => (top.clone(), cli::EXAMPLES),
        Some(p) => match top.find_subcommand(p.name()) {
            Some(sub) => (sub.clone(), p.examples()),
            None => return Err(io::Error::other(format!("no subcommand {}", p.name()))),
        },
    };
    // The long help text is clap's, the sections after it are ours.
    let cmd = cmd.after_help("").after_long_help("");
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("exitparse {}", env!("CARGO_PKG_VERSION")))
        .date(env!("EXITPARSE_DATE"))
        .manual("exitparse manual");
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    if page.is_none() {
        man.render_subcommands_section(out)?;
    }
    examples_section(examples, out)?;
    if page.is_none() || page == Some(ManPage::Summary) {
        list_section("ENVIRONMENT", cli::ENVIRONMENT, out)?;
    }
    list_section("EXIT STATUS", cli::EXIT_STATUS, out)?;
    see_also(page, out)?;
    // Only the main command carries the version (`exitparse --version`).
    if page.is_none() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// Text for roff: backslashes doubled, hyphens as `\-` (so they copy and
/// search as ASCII), and a leading `.` or `'` kept from being a request.
pub fn escape(s: &str) -> String {
    let body = s.replace('\\', "\\e").replace('-', "\\-");
    if body.starts_with('.') || body.starts_with('\'') {
        format!("\\&{body}")
    } else {
        body
    }
}

/// Each example as a description paragraph over an indented, unfilled
/// command line (what `man` shows as a code example).
fn examples_section(examples: &[Example], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, ".SH EXAMPLES")?;
    for (cmd, what) in examples {
        let what = capitalize(what);
        let colon = if what.ends_with(['?', '.', ')']) {
            ""
        } else {
            ":"
        };
        writeln!(out, ".PP\n{}{colon}", escape(&what))?;
        writeln!(out, ".RS 4\n.nf\n\\fB{}\\fR\n.fi\n.RE", escape(cmd))?;
    }
    Ok(())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A tagged list: `.TP` with the term in bold.
fn list_section(head: &str, items: &[(&str, &str)], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, ".SH \"{head}\"")?;
    for (term, what) in items {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", escape(term), escape(what))?;
    }
    Ok(())
}

fn see_also(page: Option<ManPage>, out: &mut dyn Write) -> io::Result<()> {
    use clap::ValueEnum;
    let mut refs: Vec<String> = Vec::new();
    if page.is_some() {
        refs.push("\\%\\fBexitparse\\fR(1)".to_string());
    }
    for p in ManPage::value_variants() {
        if Some(*p) != page {
            refs.push(format!("\\%\\fBexitparse\\-{}\\fR(1)", p.name()));
        }
    }
    writeln!(out, ".SH \"SEE ALSO\"\n{}", refs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_roff() {
        assert_eq!(escape("a-b"), "a\\-b");
        assert_eq!(escape(".TH x"), "\\&.TH x");
        assert_eq!(escape("'quote"), "\\&'quote");
        assert_eq!(escape("a\\b"), "a\\eb");
    }

    #[test]
    fn every_page_has_its_sections() {
        use clap::ValueEnum;
        let pages =
            std::iter::once(None).chain(ManPage::value_variants().iter().copied().map(Some));
        for page in pages {
            let mut out = Vec::new();
            write(page, &mut out).unwrap();
            let roff = String::from_utf8(out).unwrap();
            for section in [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH EXAMPLES",
                ".SH \"EXIT STATUS\"",
                ".SH \"SEE ALSO\"",
            ] {
                assert!(roff.contains(section), "{page:?}: no {section}");
            }
            assert!(!roff.contains(".SH EXTRA"), "{page:?}");
        }
    }
}
