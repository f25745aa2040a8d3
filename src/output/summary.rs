//! `exitparse summary` / `--summary`: how many containers fell in each
//! category, then where the failures (severity warning or error) are: the
//! namespaces, images, nodes and exit codes with the most, worst first.
//! A table for people, or one JSON object with `--format json`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::table::write_aligned;
use super::{CollectFormat, Record};
use crate::classify::Severity;
use crate::term;

/// Rows shown per "top" section of the table (JSON lists them all).
const TOP: usize = 10;

/// Counts everything pushed, writes the summary at the end.
pub struct Summary {
    json: bool,
    color: bool,
    containers: u64,
    failures: u64,
    /// Verdicts resting on evidence from other files of a bundle.
    joined: u64,
    categories: HashMap<String, (Severity, u64)>,
    namespaces: HashMap<String, u64>,
    images: HashMap<String, u64>,
    nodes: HashMap<String, u64>,
    exit_codes: HashMap<i64, (Option<String>, u64)>,
}

impl Summary {
    /// A summary written as JSON (`json`) or as a table, coloured when `color`.
    pub fn new(json: bool, color: bool) -> Summary {
        Summary {
            json,
            color,
            containers: 0,
            failures: 0,
            joined: 0,
            categories: HashMap::new(),
            namespaces: HashMap::new(),
            images: HashMap::new(),
            nodes: HashMap::new(),
            exit_codes: HashMap::new(),
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
        write_aligned(
            out,
            &[
                ("CATEGORY", 24, false),
                ("SEVERITY", 8, false),
                ("CONTAINERS", 12, true),
            ],
            &rows,
            Some(0),
            self.color,
            None,
        )?;
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
        if self.failures == 0 {
            return Ok(());
        }
        for (head, map, max) in [
            ("NAMESPACE", &self.namespaces, 40),
            ("IMAGE", &self.images, 80),
            ("NODE", &self.nodes, 40),
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
            write_aligned(
                out,
                &[(head, max, false), ("FAILURES", 12, true)],
                &rows,
                None,
                false,
                None,
            )?;
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
            write_aligned(
                out,
                &[
                    ("EXIT CODE", 11, true),
                    ("SIGNAL", 9, false),
                    ("FAILURES", 12, true),
                ],
                &rows,
                None,
                false,
                None,
            )?;
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

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.json {
            self.write_json(out)
        } else {
            self.write_table(out)
        }
    }
}
