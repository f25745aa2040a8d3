//! The `exitparse` binary: parse the command line, dispatch, map the outcome
//! to the exit status (0 ok, 1 some input failed, 2 bad command line).

use std::io::{self, BufWriter, ErrorKind, Write};
use std::process::ExitCode;

use clap::FromArgMatches;
use clap::parser::ValueSource;
use exitparse::cli::{self, Cli, Command, OutputFormat, RunArgs};
use exitparse::filter::Filter;
use exitparse::{diag, engine, explain, man, term};

fn main() -> ExitCode {
    let args = cli::hoist_subcommand(std::env::args_os().collect());
    let matches = cli::command().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    term::set_color(cli.global.color);
    diag::configure(cli.global.quiet, cli.global.max_errors);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
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
            parse(&cli.run, &mut out)
        }
        Some(Command::Summary { run }) => {
            let mut run = *run;
            run.summary = true;
            parse(&run, &mut out)
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
    };
    match written {
        Ok(()) => {}
        // `exitparse … | head` closes the pipe: a quiet, successful end.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => diag::fatal(&format!("writing output: {e}")),
    }
    if diag::errored() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The default command: read the inputs and write records (or a summary).
fn parse(run: &RunArgs, out: &mut dyn Write) -> io::Result<()> {
    // Bad filter values are a bad command line: say so before reading input.
    if let Err(msg) = Filter::from_args(run) {
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
    engine::run(run, out)
}

/// Reports `msg` the way clap reports its own errors and exits 2.
fn bad_command_line(msg: &str) -> io::Result<()> {
    cli::command()
        .error(clap::error::ErrorKind::ValueValidation, msg)
        .exit()
}
