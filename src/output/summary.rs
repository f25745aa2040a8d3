//! `exitparse summary` / `--summary`: how many containers fell in each
//! category, then where the failures (severity warning or error) are: the
//! namespaces, images, nodes and exit codes with the most, worst first.
//! A table for people, or one JSON object with `--format json`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::table::{Col, Give, Style, write_aligned};
use super::{CollectFormat, Record};
use crate::classify::Severity;
use crate::term;

/// Rows shown per "top" section of the table (JSON lists them all).
const TOP: usize = 10;

/// Counts everything pushed, writes the summary at the end.
pub struct Summary {
    json: bool,
    color: bool,
    /// Terminal columns the tables fit (`None`: piped, or `--wide`).
    fit: Option<usize>,
    containers: u64,
    failures: u64,
    /// Verdicts resting on evidence from other files of a bundle.
    joined: u64,
    categories: HashMap<String, (Severity, u64)>,
    namespaces: HashMap<String, u64>,
    images: HashMap<String, u64>,
    nodes: HashMap<String, u64>,
    exit_codes: HashMap<i64, (Option<String>, u64)>,
    redaction: Redaction,
}

/// What the engine told about redaction.
enum Redaction {
    /// Nothing (a library caller that never calls `redactions`).
    Untold,
    /// `--no-redact`.
    Off,
    /// Values redacted per rule id, in rule order.
    Counts(Vec<(String, u64)>),
}

/// On a narrow terminal only the name column of a section gives way (the
/// counts never do), down to 12 columns; names are cut with `…`.
const GIVE: [Give; 1] = [Give::Shrink(0, 12)];

impl Summary {
    /// Fits the tables to `fit` terminal columns (`None` keeps names whole).
    pub fn fit(mut self, fit: Option<usize>) -> Summary {
        self.fit = fit;
        self
    }

    /// How each section's table is written.
    fn style(&self, colored: Option<usize>) -> Style {
        Style {
            color: self.color,
            colored,
            fit: self.fit,
            headers: true,
        }
    }

    /// A summary written as JSON (`json`) or as a table, coloured when `color`.
    pub fn new(json: bool, color: bool) -> Summary {
        Summary {
            json,
            color,
            fit: None,
            containers: 0,
            failures: 0,
            joined: 0,
            categories: HashMap::new(),
            namespaces: HashMap::new(),
            images: HashMap::new(),
            nodes: HashMap::new(),
            exit_codes: HashMap::new(),
            redaction: Redaction::Untold,
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    containers: u64,
    failures: u64,
    joined: u64,
    categories: Vec<JsonCategory<'a>>,
    namespaces: Vec<JsonCount<'a>>,
    images: Vec<JsonCount<'a>>,
    nodes: Vec<JsonCount<'a>>,
    exit_codes: Vec<JsonCode<'a>>,
    /// Values redacted per rule; `null` with `--no-redact`.
    #[serde(skip_serializing_if = "Option::is_none")]
    redacted: Option<Option<Vec<JsonRedacted<'a>>>>,
}

#[derive(Serialize)]
struct JsonRedacted<'a> {
    rule: &'a str,
    values: u64,
}

#[derive(Serialize)]
struct JsonCategory<'a> {
    category: &'a str,
    severity: &'static str,
    containers: u64,
}

#[derive(Serialize)]
struct JsonCount<'a> {
    name: &'a str,
    failures: u64,
}

#[derive(Serialize)]
struct JsonCode<'a> {
    exit_code: i64,
    signal: Option<&'a str>,
    failures: u64,
}

fn counts(map: &HashMap<String, u64>) -> Vec<JsonCount<'_>> {
    ranked(map)
        .into_iter()
        .map(|(name, failures)| JsonCount { name, failures })
        .collect()
}

/// Most failures first; ties by name so the output is stable.
fn ranked(map: &HashMap<String, u64>) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

impl Summary {
    /// Worst severity first, then most containers, then name.
    fn ranked_categories(&self) -> Vec<(&str, Severity, u64)> {
        let mut v: Vec<(&str, Severity, u64)> = self
            .categories
            .iter()
            .map(|(k, (s, n))| (k.as_str(), *s, *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
        v
    }

    fn ranked_codes(&self) -> Vec<(i64, Option<&str>, u64)> {
        let mut v: Vec<(i64, Option<&str>, u64)> = self
            .exit_codes
            .iter()
            .map(|(c, (s, n))| (*c, s.as_deref(), *n))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        v
    }

    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let json = Json {
            containers: self.containers,
            failures: self.failures,
            joined: self.joined,
            categories: self
                .ranked_categories()
                .into_iter()
                .map(|(category, s, containers)| JsonCategory {
                    category,
                    severity: s.as_str(),
                    containers,
                })
                .collect(),
            namespaces: counts(&self.namespaces),
            images: counts(&self.images),
            nodes: counts(&self.nodes),
            exit_codes: self
                .ranked_codes()
                .into_iter()
                .map(|(exit_code, signal, failures)| JsonCode {
                    exit_code,
                    signal,
                    failures,
                })
                .collect(),
            redacted: match &self.redaction {
                Redaction::Untold => None,
                Redaction::Off => Some(None),
                Redaction::Counts(c) => Some(Some(
                    c.iter()
                        .map(|(rule, values)| JsonRedacted {
                            rule,
                            values: *values,
                        })
                        .collect(),
                )),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &json).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }

    fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.containers == 0 {
            // A heading over no rows says less than this line.
            return writeln!(out, "0 containers");
        }
        let rows: Vec<(Severity, [String; 3])> = self
            .ranked_categories()
            .into_iter()
            .map(|(c, s, n)| (s, [c.to_string(), s.as_str().to_string(), n.to_string()]))
            .collect();
        let cols = [
            Col {
                head: "CATEGORY",
                right: false,
            },
            Col {
                head: "SEVERITY",
                right: false,
            },
            Col {
                head: "CONTAINERS",
                right: true,
            },
        ];
        write_aligned(out, &cols, &rows, &GIVE, &self.style(Some(0)))?;
        writeln!(
            out,
            "\n{} container{}, {} failure{} (severity warning or error)",
            self.containers,
            plural(self.containers),
            self.failures,
            plural(self.failures)
        )?;
        if self.joined > 0 {
            writeln!(
                out,
                "{} verdict{} rest on evidence joined from other files of a bundle (kernel, kubelet, log, event lines)",
                self.joined,
                plural(self.joined)
            )?;
        }
        if self.failures > 0 {
            self.write_failures(out)?;
        }
        self.write_redaction(out)
    }

    /// Values redacted per rule, or a warning that nothing was.
    fn write_redaction(&self, out: &mut dyn Write) -> io::Result<()> {
        match &self.redaction {
            Redaction::Untold => Ok(()),
            Redaction::Counts(c) if c.is_empty() => Ok(()),
            Redaction::Off => writeln!(
                out,
                "\nredaction off (--no-redact): messages, events and log lines are verbatim"
            ),
            Redaction::Counts(c) => {
                let rows: Vec<(Severity, [String; 2])> = c
                    .iter()
                    .map(|(rule, n)| (Severity::Ok, [rule.clone(), n.to_string()]))
                    .collect();
                out.write_all(b"\n")?;
                let cols = [
                    Col {
                        head: "REDACTED BY RULE",
                        right: false,
                    },
                    Col {
                        head: "VALUES",
                        right: true,
                    },
                ];
                write_aligned(out, &cols, &rows, &GIVE, &self.style(None))
            }
        }
    }

    /// The failure sections: namespaces, images, nodes, exit codes.
    fn write_failures(&self, out: &mut dyn Write) -> io::Result<()> {
        for (head, map) in [
            ("NAMESPACE", &self.namespaces),
            ("IMAGE", &self.images),
            ("NODE", &self.nodes),
        ] {
            let all = ranked(map);
            let rows: Vec<(Severity, [String; 2])> = all
                .iter()
                .take(TOP)
                .map(|(name, n)| {
                    (
                        Severity::Error,
                        [term::sanitize(name).into_owned(), n.to_string()],
                    )
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.write_all(b"\n")?;
            let cols = [
                Col { head, right: false },
                Col {
                    head: "FAILURES",
                    right: true,
                },
            ];
            write_aligned(out, &cols, &rows, &GIVE, &self.style(None))?;
            more(out, all.len())?;
        }
        let codes = self.ranked_codes();
        if !codes.is_empty() {
            let rows: Vec<(Severity, [String; 3])> = codes
                .iter()
                .take(TOP)
                .map(|(c, s, n)| {
                    (
                        Severity::Error,
                        [c.to_string(), s.unwrap_or("-").to_string(), n.to_string()],
                    )
                })
                .collect();
            out.write_all(b"\n")?;
            let cols = [
                Col {
                    head: "EXIT CODE",
                    right: true,
                },
                Col {
                    head: "SIGNAL",
                    right: false,
                },
                Col {
                    head: "FAILURES",
                    right: true,
                },
            ];
            write_aligned(out, &cols, &rows, &[], &self.style(None))?;
            more(out, codes.len())?;
        }
        Ok(())
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn more(out: &mut dyn Write, total: usize) -> io::Result<()> {
    if total > TOP {
        writeln!(out, "… and {} more", total - TOP)?;
    }
    Ok(())
}

fn bump(map: &mut HashMap<String, u64>, key: &Option<String>) {
    if let Some(k) = key {
        *map.entry(k.clone()).or_default() += 1;
    }
}

impl CollectFormat for Summary {
    fn push(&mut self, record: Record) {
        let c = &record.classification;
        let o = &record.observation;
        self.containers += 1;
        if c.evidence
            .iter()
            .any(|e| crate::bundle::is_joined_evidence(e))
        {
            self.joined += 1;
        }
        let entry = self
            .categories
            .entry(c.category.clone())
            .or_insert((c.severity, 0));
        entry.1 += 1;
        if c.severity < Severity::Warning {
            return;
        }
        self.failures += 1;
        bump(&mut self.namespaces, &o.namespace);
        bump(&mut self.images, &o.image);
        bump(&mut self.nodes, &o.node);
        if let Some(code) = c.exit_code {
            let e = self
                .exit_codes
                .entry(code)
                .or_insert_with(|| (c.signal.clone(), 0));
            e.1 += 1;
        }
    }

    fn redactions(&mut self, counts: Option<&[(String, u64)]>) {
        self.redaction = match counts {
            None => Redaction::Off,
            Some(c) => Redaction::Counts(c.to_vec()),
        };
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.json {
            self.write_json(out)
        } else {
            self.write_table(out)
        }
    }
}
