//! The command line as the user typed it (clap derive). Resolved settings are
//! built from this in [`crate::config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// One example: a command line and what it shows. The same lists make the
/// `Examples:` of `--help` and the EXAMPLES section of the man pages.
pub type Example = (&'static str, &'static str);

/// Examples of the main command.
pub const EXAMPLES: &[Example] = &[
    (
        "kubectl describe pods -A | exitparse",
        "one JSON record per container",
    ),
    (
        "exitparse summary bundle.tar.gz",
        "what died, by category, worst first",
    ),
    (
        "exitparse --only-failures -f table support-bundles/",
        "failures as aligned columns",
    ),
    (
        "exitparse --category oom_killed --namespace 'shop*' -f csv dumps/ > oom.csv",
        "OOM kills in shop* as CSV",
    ),
    (
        "exitparse --since 2025-03-04 --until 2025-03-04 --only-failures -f table pods.txt",
        "the failures of one day",
    ),
    (
        "exitparse -q --max-errors 20 damaged.txt",
        "no notes, at most 20 error lines",
    ),
    (
        "exitparse explain 137",
        "also -1073741819, 0xC0000005, SIGSEGV, OOMKilled",
    ),
    (
        "exitparse dump.txt | jq -c 'select(.classification.severity == \"error\")'",
        "errors only, with jq",
    ),
    (
        "exitparse --fail-on oom_killed,error bundles/ -o findings.jsonl",
        "CI gate: status 3 on a match",
    ),
    (
        "exitparse -f parquet -o records.parquet dumps/",
        "typed columns for a warehouse",
    ),
    (
        "exitparse --files-from list.txt --shard 2/8 -o shard-2.jsonl",
        "one of 8 machines' share",
    ),
    (
        "exitparse schema --format duckdb --input 'out/*.jsonl' | duckdb warehouse.db",
        "load the records typed",
    ),
    (
        "exitparse completions bash > ~/.local/share/bash-completion/completions/exitparse",
        "install completions",
    ),
    (
        "exitparse man > exitparse.1",
        "the man page (also: man explain, man summary)",
    ),
];

/// Examples of `exitparse explain`.
pub const EXPLAIN_EXAMPLES: &[Example] = &[
    (
        "exitparse explain 137",
        "exit code: 128 + 9, SIGKILL; OOM or grace period?",
    ),
    (
        "exitparse explain -1073741819",
        "Windows NTSTATUS (also 0xC0000005, 3221225477)",
    ),
    (
        "exitparse explain SIGSEGV",
        "signal by name (also KILL, SIGRTMIN+3, Signal:9)",
    ),
    (
        "exitparse explain CrashLoopBackOff",
        "reason (also OOMKilled, ErrImagePull, Evicted)",
    ),
    (
        "exitparse explain --json 143",
        "the same as one JSON object",
    ),
];

/// Examples of `exitparse summary`.
pub const SUMMARY_EXAMPLES: &[Example] = &[
    (
        "exitparse summary pods.txt",
        "counts by category, namespace, image, node, exit code",
    ),
    (
        "kubectl describe pods -A | exitparse summary",
        "the same from stdin",
    ),
    (
        "exitparse summary --namespace 'shop*' --since 2025-03-04 dumps/",
        "filters apply before counting",
    ),
    (
        "exitparse summary -f json bundle.tar.gz",
        "every count as one JSON object",
    ),
    (
        "exitparse summary --wide pods.txt",
        "full names even on a narrow terminal",
    ),
];

/// Examples of `exitparse completions`.
pub const COMPLETIONS_EXAMPLES: &[Example] = &[
    (
        "exitparse completions bash > ~/.local/share/bash-completion/completions/exitparse",
        "bash",
    ),
    (
        "exitparse completions zsh > \"${fpath[1]}/_exitparse\"",
        "zsh",
    ),
    (
        "exitparse completions fish > ~/.config/fish/completions/exitparse.fish",
        "fish",
    ),
];

/// Examples of `exitparse man`.
pub const MAN_EXAMPLES: &[Example] = &[
    (
        "exitparse man > /usr/local/share/man/man1/exitparse.1",
        "the main page",
    ),
    (
        "exitparse man explain > /usr/local/share/man/man1/exitparse-explain.1",
        "one page per subcommand",
    ),
    (
        "exitparse man summary | man -l -",
        "read one without installing it",
    ),
];

/// Exit statuses, for `--help` and the man pages.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "every input was read and parsed"),
    (
        "1",
        "at least one input, or part of one, could not be read or parsed (each told on stderr as `exitparse: PATH:LINE: what is wrong`)",
    ),
    (
        "2",
        "bad command line (unknown flag, bad value, a format the subcommand does not write)",
    ),
    (
        "3",
        "--fail-on matched a record (and every input was read; 1 wins otherwise)",
    ),
];

/// Environment variables read, for `--help` and the man pages.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "set to anything non-empty: no colour with --color auto (https://no-color.org)",
    ),
    ("TERM", "dumb: no colour with --color auto"),
    (
        "COLUMNS",
        "width that tables fit when stdout is a terminal (else the terminal's own size)",
    ),
];

/// `Examples:` then `Exit status:` (and `Environment:` for the main command),
/// laid out for `--help`.
fn after_help(examples: &[Example], main: bool) -> String {
    let mut s = String::from("Examples:\n");
    for (cmd, what) in examples {
        s.push_str(&format!("  {cmd}\n"));
        s.push_str(&hang(what, 6, 6));
    }
    if main {
        s.push_str("\nEnvironment:\n");
        for (name, what) in ENVIRONMENT {
            s.push_str(&format!("  {name:<9} "));
            s.push_str(&hang(what, 0, 12));
        }
    }
    s.push_str("\nExit status:\n");
    for (code, what) in EXIT_STATUS {
        s.push_str(&format!("  {code}  "));
        s.push_str(&hang(what, 0, 5));
    }
    s.pop();
    s
}

/// `text` wrapped at 78 columns: the first line after `first` spaces, the
/// others after `rest` (help must read the same on every terminal, so it
/// is laid out here rather than by clap's wrapping).
fn hang(text: &str, first: usize, rest: usize) -> String {
    let mut out = " ".repeat(first);
    let mut col = if first == 0 { rest } else { first };
    let mut at_start = true;
    for word in text.split_whitespace() {
        if !at_start && col + 1 + word.len() > 78 {
            out.push('\n');
            out.push_str(&" ".repeat(rest));
            col = rest;
            at_start = true;
        }
        if !at_start {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
        at_start = false;
    }
    out.push('\n');
    out
}

/// The version line of `-V`; `--version` adds the commit and the build
/// (set by `build.rs`).
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("EXITPARSE_COMMIT"),
    "\nfeatures: ",
    env!("EXITPARSE_FEATURES"),
    "\ntarget: ",
    env!("EXITPARSE_TARGET"),
    " (",
    env!("EXITPARSE_PROFILE"),
    ")"
);

/// Why did that container exit? Reads kubectl describe, docker/podman/crictl
/// inspect, Pod JSON/YAML, docker ps / kubectl get pods listings and support
/// bundles, and writes one classified JSON record per container.
#[derive(Debug, Parser)]
#[command(
    name = "exitparse",
    version,
    long_version = LONG_VERSION,
    after_help = after_help(EXAMPLES, true),
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Conventions that hold for every subcommand (`global`: accepted before
/// or after the subcommand's name).
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// When to colour output: auto (stdout is a terminal, NO_COLOR unset, TERM is not dumb)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// No notes on stderr (skipped inputs, empty inputs); errors still show
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Show at most N error lines, then one line with the count of the rest
    #[arg(long, value_name = "N", global = true)]
    pub max_errors: Option<u64>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal, NO_COLOR is unset and TERM is not dumb
    #[default]
    Auto,
    /// Always colour, even into a pipe or a file
    Always,
    /// Never colour
    Never,
}

/// Subcommands besides the default "parse these inputs".
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain an exit code, signal or reason: 137, -1073741819, 0xC0000005, SIGSEGV, OOMKilled
    #[command(after_help = after_help(EXPLAIN_EXAMPLES, false))]
    Explain {
        /// Exit code (decimal, negative or 0x hex), signal name or number, or a reason
        ///
        /// A bare number is an exit code; for 1-64 the text also says which
        /// signal it would be if a runtime reported the raw signal number.
        #[arg(allow_negative_numbers = true)]
        what: String,
        /// Print the explanation as JSON
        #[arg(long)]
        json: bool,
    },
    /// Count what died, by category, namespace, image, node and exit code
    #[command(after_help = after_help(SUMMARY_EXAMPLES, false))]
    Summary {
        // Boxed: RunArgs is large and the other variants are small.
        #[command(flatten)]
        run: Box<RunArgs>,
    },
    /// Print a shell completion script
    #[command(after_help = after_help(COMPLETIONS_EXAMPLES, false))]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): the main one, or one subcommand's
    #[command(after_help = after_help(MAN_EXAMPLES, false))]
    Man {
        /// The subcommand whose page to print (exitparse-PAGE(1))
        #[arg(value_enum)]
        page: Option<ManPage>,
    },
    /// Print the record's definition: JSON Schema, DuckDB, BigQuery, Spark or SQL
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema {
        /// Which definition to print
        #[arg(long, short = 'f', value_enum, default_value_t = SchemaFormat::JsonSchema)]
        format: SchemaFormat,
        /// The file or glob the DuckDB load reads (`--format duckdb`)
        #[arg(long, value_name = "GLOB", default_value = "records.jsonl")]
        input: String,
        /// The table's name (`--format duckdb` and `sql`)
        #[arg(long, value_name = "NAME", default_value = "exitparse_records")]
        table: String,
    },
}

/// The pages `exitparse man PAGE` prints besides the main one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManPage {
    /// exitparse-explain(1)
    Explain,
    /// exitparse-summary(1)
    Summary,
    /// exitparse-completions(1)
    Completions,
    /// exitparse-man(1)
    Man,
}

const SCHEMA_EXAMPLES: &str = "\
Examples:
  exitparse schema > record.schema.json                  the JSON Schema (draft 2020-12)
  exitparse schema -f duckdb --input 'out/*.jsonl' | duckdb w.db   a typed table, loaded
  exitparse schema -f bigquery > schema.json && bq load --source_format=NEWLINE_DELIMITED_JSON \\
      --schema=schema.json ds.records records.jsonl
  spark.read.schema(\"$(exitparse schema -f spark)\").json(\"records/\")
  exitparse schema -f sql | psql                          a flat PostgreSQL table";

/// `schema --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// JSON Schema draft 2020-12 (the file in `schema/`)
    JsonSchema,
    /// A DuckDB `CREATE TABLE` and the `read_json(…, columns = {…})` load
    Duckdb,
    /// The JSON schema `bq load --schema` takes
    Bigquery,
    /// A DDL string for Spark's `spark.read.schema(…)`
    Spark,
    /// A flat `CREATE TABLE` in PostgreSQL's dialect (DuckDB takes it too)
    Sql,
}

impl ManPage {
    /// The subcommand's name.
    pub fn name(self) -> &'static str {
        match self {
            ManPage::Explain => "explain",
            ManPage::Summary => "summary",
            ManPage::Completions => "completions",
            ManPage::Man => "man",
        }
    }

    /// The examples of the subcommand.
    pub fn examples(self) -> &'static [Example] {
        match self {
            ManPage::Explain => EXPLAIN_EXAMPLES,
            ManPage::Summary => SUMMARY_EXAMPLES,
            ManPage::Completions => COMPLETIONS_EXAMPLES,
            ManPage::Man => MAN_EXAMPLES,
        }
    }
}

/// What to read, how, and what to write.
#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    /// Files, directories or archives to read; `-` or nothing reads stdin
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,

    /// Read every input as this format instead of detecting it
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// CSV: write cells as they are, without the `'` that keeps a cell
    /// starting with = + - @ tab or CR from running as a spreadsheet formula
    #[arg(long)]
    pub csv_raw: bool,

    /// Print counts instead of records (same as the `summary` subcommand)
    #[arg(long)]
    pub summary: bool,

    /// Write to FILE instead of stdout: a temporary file beside it, renamed
    /// at the end, so an interrupted run never leaves half a file
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 3 when a record (after filters) has one of these
    /// categories or severities, e.g. `oom_killed,error`
    #[arg(long, value_name = "CATEGORY|SEVERITY,…", value_delimiter = ',')]
    pub fail_on: Vec<String>,

    /// Also read the paths listed in FILE (`-`: stdin), one per line or
    /// NUL-separated (`find … -print0`)
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// Read only shard I of N (0-based): the paths named whose hash is I (a
    /// directory or archive whole, one bundle), so N processes or machines
    /// given the same paths split them
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Worker threads (default: all cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// List what was passed over (files, objects of other kinds) and why
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Print a one-line summary (files, bytes, records, errors, seconds, MB/s) on stderr
    #[arg(long)]
    pub stats: bool,

    /// Never show a progress bar
    #[arg(long)]
    pub no_progress: bool,

    /// Tables: show every cell in full, even wider than the terminal
    #[arg(long)]
    pub wide: bool,

    /// Tables and CSV: leave out the header line
    #[arg(long)]
    pub no_headers: bool,

    /// Add the redaction rules of this TOML file (same shape as grammar/rules/redact.toml)
    #[arg(long, value_name = "FILE", conflicts_with = "no_redact")]
    pub redact_rules: Option<PathBuf>,

    /// Copy messages, events and log lines verbatim, secrets included (unsafe for shared output)
    #[arg(long)]
    pub no_redact: bool,

    /// Read each file of a bundle on its own: no joining of events, logs,
    /// kernel and kubelet lines across its files
    #[arg(long)]
    pub no_joins: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Which records to keep.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Keep only failures (severity warning or error)
    #[arg(long)]
    pub only_failures: bool,

    /// Keep only this category (repeatable)
    #[arg(long, value_name = "CATEGORY", value_parser = category_values())]
    pub category: Vec<String>,

    /// Keep only this namespace (glob)
    #[arg(long, value_name = "GLOB")]
    pub namespace: Option<String>,

    /// Keep only pods matching this glob
    #[arg(long, value_name = "GLOB")]
    pub pod: Option<String>,

    /// Keep only containers matching this glob
    #[arg(long, value_name = "GLOB")]
    pub container: Option<String>,

    /// Keep only containers that finished at or after this time (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Keep only containers that finished before this time (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
}

/// The category names of the rule data, with their meaning, so `--help`
/// lists them and the shell completions offer them.
fn category_values() -> clap::builder::PossibleValuesParser {
    let rules = crate::classify::rules::rules();
    clap::builder::PossibleValuesParser::new(
        rules.categories.iter().map(|c| {
            clap::builder::PossibleValue::new(c.id.as_str()).help(first_sentence(&c.meaning))
        }),
    )
}

/// Up to the first `.`/`:` (help lines stay short).
fn first_sentence(s: &str) -> &str {
    let end = s.find(". ").map(|i| i + 1).unwrap_or(s.len());
    &s[..end]
}

/// The command line, with what derive cannot say: `summary` writes a table
/// (its default) or JSON, and refuses the record formats with exit 2.
/// Parsing, completions and man pages all use this one definition.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().mut_subcommand("summary", |s| {
        s.mut_arg("format", |a| {
            a.value_parser(summary_formats())
                .default_value("table")
                .help("Output format (the summary is a table, or one JSON object)")
        })
    })
}

/// The command line with a subcommand's name moved before the global flags
/// that precede it: `exitparse -q --color never summary x` is read as
/// `exitparse summary -q --color never x`. Needed because the main command
/// takes paths (`args_conflicts_with_subcommands`), so clap would read the
/// name after a flag as a path. Only the three global flags are stepped
/// over; anything else leaves the line as it is.
pub fn hoist_subcommand(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    const SUBCOMMANDS: [&str; 5] = ["explain", "summary", "completions", "man", "help"];
    let mut i = 1;
    while let Some(arg) = args.get(i).and_then(|a| a.to_str()) {
        match arg {
            "-q" | "--quiet" => i += 1,
            "--color" | "--max-errors" => i += 2,
            _ if arg.starts_with("--color=") || arg.starts_with("--max-errors=") => i += 1,
            _ if i > 1 && SUBCOMMANDS.contains(&arg) => {
                let mut args = args;
                let name = args.remove(i);
                args.insert(1, name);
                return args;
            }
            _ => break,
        }
    }
    args
}

/// The formats a summary is written in.
pub fn summary_formats() -> impl clap::builder::TypedValueParser<Value = OutputFormat> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("table").help("Counts in aligned columns"),
        PossibleValue::new("json").help("Every count as one JSON object"),
    ])
    .map(|s| {
        if s == "json" {
            OutputFormat::Json
        } else {
            OutputFormat::Table
        }
    })
}

/// Guards against decompression bombs and absurd inputs.
#[derive(Debug, Args, Clone)]
pub struct LimitArgs {
    /// Largest decompressed size of one archive member or .gz file, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    pub max_member_size: u64,

    /// Largest total decompressed size of one archive, in MiB
    #[arg(long, value_name = "MIB", default_value_t = 65536)]
    pub max_archive_size: u64,

    /// Largest decompressed/compressed ratio of an archive member
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_ratio: u64,

    /// Deepest nesting of archives inside archives
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub max_depth: u32,

    /// Most members read from one archive
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_members: u64,
}

impl Default for LimitArgs {
    fn default() -> Self {
        LimitArgs {
            max_member_size: 4096,
            max_archive_size: 65536,
            max_ratio: 1000,
            max_depth: 4,
            max_members: 1_000_000,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// One JSON record per line (the v1 contract)
    #[default]
    Jsonl,
    /// One JSON array of records
    Json,
    /// CSV with a header and flattened columns
    Csv,
    /// Aligned columns for a terminal
    Table,
    /// Apache Parquet with typed, nested columns (needs `-o FILE`)
    Parquet,
}

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// kubectl describe pod(s) text
    KubectlDescribe,
    /// docker inspect JSON
    DockerInspect,
    /// podman inspect JSON
    PodmanInspect,
    /// crictl inspect JSON
    CrictlInspect,
    /// Pod / PodList / List JSON, kubectl cluster-info dump
    K8sJson,
    /// Pod / List YAML, one or many documents
    K8sYaml,
    /// docker ps / podman ps table
    DockerPs,
    /// kubectl get pods table
    KubectlGetPods,
}

impl InputFormat {
    /// The parser family that reads this format.
    pub fn parser(self) -> crate::format::Parser {
        use crate::format::Parser;
        match self {
            InputFormat::KubectlDescribe => Parser::Describe,
            InputFormat::DockerInspect
            | InputFormat::PodmanInspect
            | InputFormat::CrictlInspect
            | InputFormat::K8sJson => Parser::Json,
            InputFormat::K8sYaml => Parser::Yaml,
            InputFormat::DockerPs => Parser::DockerPs,
            InputFormat::KubectlGetPods => Parser::KubectlGetPods,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoisted(line: &str) -> String {
        let args = line.split(' ').map(std::ffi::OsString::from).collect();
        let out: Vec<String> = hoist_subcommand(args)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        out.join(" ")
    }

    #[test]
    fn global_flags_may_come_before_the_subcommand() {
        assert_eq!(hoisted("x -q summary p"), "x summary -q p");
        assert_eq!(
            hoisted("x --color never --max-errors=3 explain 137"),
            "x explain --color never --max-errors=3 137"
        );
        // Nothing to move, or not only global flags before it.
        assert_eq!(hoisted("x summary -q p"), "x summary -q p");
        assert_eq!(hoisted("x -f table summary"), "x -f table summary");
        assert_eq!(hoisted("x -q p summary"), "x -q p summary");
        assert_eq!(hoisted("x"), "x");
    }
}
