//! The command line as the user typed it (clap derive). Resolved settings are
//! built from this in [`crate::config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  kubectl describe pods -A | exitparse                  one JSON record per container
  exitparse summary bundle.tar.gz                       what died, by category, worst first
  exitparse --only-failures -f table support-bundles/   failures as aligned columns
  exitparse --category oom_killed --namespace 'shop*' -f csv dumps/ > oom.csv
  exitparse --since 2025-03-04 --until 2025-03-04 --only-failures -f table pods.txt
  exitparse explain 137          (also -1073741819, 0xC0000005, SIGSEGV, OOMKilled)
  exitparse dump.txt | jq -c 'select(.classification.severity == \"error\")'
  exitparse completions bash > ~/.local/share/bash-completion/completions/exitparse

Exit status:
  0  every input was read and parsed
  1  at least one input, or part of one, could not be read or parsed
     (each told on stderr as `exitparse: PATH:LINE: what is wrong`)
  2  bad command line";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  exitparse explain 137                 exit code: 128 + 9, SIGKILL; OOM or grace period?
  exitparse explain -1073741819         Windows NTSTATUS (also 0xC0000005, 3221225477)
  exitparse explain SIGSEGV             signal by name (also KILL, SIGRTMIN+3, Signal:9)
  exitparse explain CrashLoopBackOff    reason (also OOMKilled, ErrImagePull, Evicted)
  exitparse explain --json 143          the same as one JSON object

A bare number is an exit code; for 1-64 the text also says which signal it
would be if a runtime reported the raw signal number.";

/// Why did that container exit? Reads kubectl describe, docker/podman/crictl
/// inspect, Pod JSON/YAML, docker ps / kubectl get pods listings and support
/// bundles, and writes one classified JSON record per container.
#[derive(Debug, Parser)]
#[command(name = "exitparse", version, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Subcommands besides the default "parse these inputs".
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain an exit code, signal or reason: 137, -1073741819, 0xC0000005, SIGSEGV, OOMKilled
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain {
        /// Exit code (decimal, negative or 0x hex), signal name or number, or a reason
        #[arg(allow_negative_numbers = true)]
        what: String,
        /// Print the explanation as JSON
        #[arg(long)]
        json: bool,
    },
    /// Count what died, by category, namespace, image, node and exit code
    Summary {
        // Boxed: RunArgs is large and the other variants are small.
        #[command(flatten)]
        run: Box<RunArgs>,
    },
    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
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

    /// Print counts instead of records (same as the `summary` subcommand)
    #[arg(long)]
    pub summary: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Worker threads (default: all cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// List skipped files and why, and other notices
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Print a one-line summary (files, bytes, records, errors, seconds, MB/s) on stderr
    #[arg(long)]
    pub stats: bool,

    /// Never show a progress bar
    #[arg(long)]
    pub no_progress: bool,

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
    #[arg(long, value_name = "CATEGORY")]
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
