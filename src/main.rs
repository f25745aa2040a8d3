//! The `exitparse` binary: parse the command line, dispatch, map the outcome
//! to the exit status (0 ok, 1 some input failed, 2 bad command line, 3
//! `--fail-on` matched).

use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::FromArgMatches;
use clap::parser::ValueSource;
use exitparse::cli::{self, Cli, Command, OutputFormat, RunArgs, SchemaFormat};
use exitparse::engine::Report;
use exitparse::filter::Filter;
use exitparse::gate::FailOn;
use exitparse::output::file::OutputFile;
use exitparse::{diag, engine, explain, man, redact, schema, term};

fn main() -> ExitCode {
    let args = cli::hoist_subcommand(std::env::args_os().collect());
    let matches = cli::command().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    term::set_color(cli.global.color);
    diag::configure(cli.global.quiet, cli.global.max_errors);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut report = Report::default();
    let mut gate = None;
    let written = match cli.command {
        None => {
            // `--summary` takes the summary's formats; the `summary`
            // subcommand's parser already refuses the others.
            let explicit = matches.value_source("format") == Some(ValueSource::CommandLine);
            if cli.run.summary
                && explicit
                && !matches!(cli.run.format, OutputFormat::Table | OutputFormat::Json)
            {
                let _ = bad_command_line(
                    "--summary writes a table (-f table, the default) or JSON (-f json); \
                     for records in that format leave out --summary",
                );
            }
            parse(cli.run, &mut out, &mut report, &mut gate)
        }
        Some(Command::Summary { run }) => {
            let mut run = *run;
            run.summary = true;
            parse(run, &mut out, &mut report, &mut gate)
        }
        Some(Command::Explain { what, json }) => match explain::explain(&what) {
            Ok(e) => {
                explain::write(&e, json, term::color_enabled(), &mut out).and_then(|()| out.flush())
            }
            Err(msg) => bad_command_line(&format!("explain: {msg}")),
        },
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut cli::command(), "exitparse", &mut out);
            out.flush()
        }
        Some(Command::Man { page }) => man::write(page, &mut out).and_then(|()| out.flush()),
        Some(Command::Schema {
            format,
            input,
            table,
        }) => {
            let text = match format {
                SchemaFormat::JsonSchema => schema::json_schema(),
                SchemaFormat::Duckdb => schema::duckdb(&input, &table),
                SchemaFormat::Bigquery => schema::bigquery(),
                SchemaFormat::Spark => schema::spark(),
                SchemaFormat::Sql => schema::sql(&table),
            };
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
    };
    match written {
        Ok(()) => {}
        // `exitparse … | head` closes the pipe: a quiet, successful end.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => diag::fatal(&format!("writing output: {e}")),
    }
    let tripped = match (gate, &report.first_match) {
        (Some(g), Some(first)) => {
            diag::emit_line(&format!("exitparse: {}", g.reason(report.matched, first)));
            true
        }
        _ => false,
    };
    // An input that could not be read outranks a finding: a CI job must
    // not pass a bundle it could not read, nor call it merely "found".
    if diag::errored() {
        ExitCode::from(1)
    } else if tripped {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// The default command: check the command line, read the inputs and write
/// records (or a summary) to stdout or `-o FILE`.
fn parse(
    mut run: RunArgs,
    stdout: &mut dyn Write,
    report: &mut Report,
    gate: &mut Option<FailOn>,
) -> io::Result<()> {
    // Every bad value is a bad command line, told before any input is read.
    if let Err(msg) = Filter::from_args(&run) {
        bad_command_line(&msg)?;
    }
    if run.verbose && !diag::notes_shown() {
        bad_command_line("--quiet and --verbose ask for opposite things; give one")?;
    }
    if run.summary && run.no_headers {
        bad_command_line(
            "--no-headers: the summary has several sections, each under its heading; \
             use `summary -f json` to read it by program",
        )?;
    }
    match FailOn::from_args(&run.fail_on) {
        Ok(g) => *gate = g,
        Err(msg) => bad_command_line(&msg)?,
    }
    if let Some(list) = run.files_from.clone() {
        match read_list(&list) {
            Ok(paths) => {
                if run.paths.is_empty() && paths.is_empty() {
                    bad_command_line(&format!("--files-from {}: lists no paths", list.display()))?;
                }
                run.paths.extend(paths);
            }
            Err(msg) => bad_command_line(&msg)?,
        }
        if list.as_os_str() == "-" && run.paths.iter().any(|p| p.as_os_str() == "-") {
            bad_command_line("--files-from -: stdin holds the list, so it cannot be an input too")?;
        }
    }
    if run.shard.is_some()
        && (run.paths.is_empty() || run.paths.iter().any(|p| p.as_os_str() == "-"))
    {
        bad_command_line(
            "--shard splits files: stdin cannot be split (name the files, or use --files-from)",
        )?;
    }
    if run.format == OutputFormat::Parquet && run.output.is_none() && !run.summary {
        bad_command_line(
            "--format parquet needs -o FILE (Parquet is binary: not for a terminal or a pipe)",
        )?;
    }
    // So is a --redact-rules file that cannot be used (named with its line).
    let redact = match redact::from_args(&run) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(io::stderr().lock(), "exitparse: {e}");
            std::process::exit(2);
        }
    };
    let Some(path) = run.output.clone() else {
        *report = engine::run_redacted(&run, redact, stdout)?;
        return Ok(());
    };
    let mut file = match OutputFile::create(&path, &run.paths) {
        Ok(f) => f,
        Err(msg) => return bad_command_line(&msg),
    };
    *report = engine::run_redacted(&run, redact, &mut file)?;
    file.commit()
}

/// The paths of `--files-from`: NUL-separated when the list holds a NUL
/// (`find -print0`), else one per line; empty entries are skipped.
fn read_list(list: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    let bytes = if list.as_os_str() == "-" {
        let mut v = Vec::new();
        io::Read::read_to_end(&mut io::stdin(), &mut v).map(|_| v)
    } else {
        std::fs::read(list)
    }
    .map_err(|e| format!("--files-from {}: {e}", list.display()))?;
    let nul = bytes.contains(&0);
    let entries = bytes.split(|&b| if nul { b == 0 } else { b == b'\n' });
    let mut paths = Vec::new();
    for entry in entries {
        let entry = if nul {
            entry
        } else {
            entry.strip_suffix(b"\r").unwrap_or(entry)
        };
        if entry.is_empty() {
            continue;
        }
        paths.push(path_from_bytes(entry));
    }
    Ok(paths)
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// Reports `msg` the way clap reports its own errors and exits 2.
fn bad_command_line(msg: &str) -> io::Result<()> {
    cli::command()
        .error(clap::error::ErrorKind::ValueValidation, msg)
        .exit()
}
