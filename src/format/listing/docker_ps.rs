//! `docker ps` / `docker ps -a` / `docker container ls` / `podman ps -a`
//! tables (`source.format` `docker-ps`), default, `--no-trunc` and
//! `--format table …` layouts. Grammar: `grammar/docker-ps.abnf`.
//!
//! The STATUS column is the daemon's `State.String()` (moby
//! `daemon/container/state.go`): `Up <duration>[ (<health>|Paused)]`,
//! `Restarting (<code>) <duration> ago`, `Removal In Progress`, `Dead`,
//! `Created`, `Exited (<code>) <duration> ago`, or empty. Durations are
//! go-units `HumanDuration` (`Less than a second`, `About a minute`,
//! `3 hours` …) and stay relative: no timestamps are made up from them.
//! Podman prints `Up <d>` (`Up <d> ago` before 4.0), `Exited (<code>) <d> ago`
//! and otherwise its state word, capitalized since 4.0 (`Paused`,
//! `Stopping`, `Removing`, `Initialized` …), plus ` (<health>)`.
//!
//! Docker has no reason: `state.reason` stays null and the STATUS text goes
//! to the classifier's evidence as `listing STATUS=…`.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_while_m_n},
    character::complete::{alpha1, char, digit1, space0, space1},
    combinator::{map, map_res, opt, recognize},
    sequence::{delimited, preceded},
};

use super::{self as listing, Layout, Line, RowOutcome};
use crate::format::{Chunk, Diagnostic, Parsed};
use crate::model::{ContainerType, Observation, SourceFormat, State, Status};

/// Parses one chunk: every `docker ps`-like table in it (and any `kubectl
/// get pods` table beside them, see `format::listing`).
///
/// ```
/// use exitparse::format::{Chunk, docker_ps};
/// let text = b"CONTAINER ID   IMAGE   COMMAND   CREATED       STATUS                     PORTS   NAMES\n\
///              0123456789ab   nginx   \"nginx\"   2 hours ago   Exited (137) 2 hours ago           web\n";
/// let parsed = docker_ps::parse(Chunk::whole(text));
/// assert_eq!(parsed.observations[0].state.exit_code, Some(137));
/// ```
pub fn parse(chunk: Chunk<'_>) -> Parsed {
    listing::parse(chunk)
}

/// Column names docker, podman and nerdctl print in `ps` tables.
const COLUMNS: &[&str] = &[
    "CONTAINER ID",
    "IMAGE",
    "COMMAND",
    "CREATED",
    "CREATED AT",
    "RUNNING FOR",
    "STATUS",
    "STATE",
    "PORTS",
    "NAMES",
    "SIZE",
    "LABELS",
    "MOUNTS",
    "NETWORKS",
    "LOCAL VOLUMES",
    "PLATFORM",
    "POD ID",
    "PODNAME",
    "EXITED",
    // docker compose v2
    "NAME",
    "SERVICE",
    "EXITCODE",
    "EXITED AT",
    "RESTARTS",
    "PID",
    "CGROUPNS",
    "IPC",
    "MNT",
    "NET",
    "PIDNS",
    "USERNS",
    "UTS",
];

/// True for the header line of a `docker ps`-like table: only known column
/// names, a STATUS (or STATE) column, and CONTAINER ID or NAMES to tell it
/// from other tables (`crictl ps` says `CONTAINER`, kubectl says `NAME`).
pub fn is_header(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let unquoted = listing::unquote(text);
    let text = unquoted.as_deref().unwrap_or(text);
    // Every header this accepts names a STATUS or STATE column (compose
    // v1: `State`), so other lines, nearly all of those detection and the
    // repair pass ask about, are ruled out before a layout is built.
    let status_column = text.contains("STATUS") || text.contains("STATE");
    if !status_column && !text.contains("State") {
        return false;
    }
    let layout = Layout::from_header(text);
    let names: Vec<&str> = layout.names().collect();
    // docker-compose v1 (texttable, title case, a dashed line below).
    if names == COMPOSE_V1 {
        return true;
    }
    if !status_column {
        return false;
    }
    names.len() >= 2
        && names.iter().all(|n| column_name(n))
        && names.iter().any(|n| *n == "STATUS" || *n == "STATE")
        && (names.iter().any(|n| *n == "CONTAINER ID" || *n == "NAMES")
            || (names.contains(&"NAME") && names.contains(&"SERVICE")))
}

/// `docker-compose ps` before v2.
const COMPOSE_V1: [&str; 4] = ["Name", "Command", "State", "Ports"];

/// `column-name`: a column docker, podman or nerdctl prints.
fn column_name(name: &str) -> bool {
    COLUMNS.contains(&name)
}

/// What the STATUS column says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Up …` (and podman's bare `running`).
    Up,
    /// `Up … (Paused)` or podman `Paused`.
    Paused,
    /// `Restarting (N) … ago`: N is the exit that caused the restart
    /// (none in a STATE column or compose v1's bare `Restarting`).
    Restarting(Option<i64>),
    /// `Exited (N) … ago` (or the pre-1.0 `Exit N`).
    Exited(i64),
    /// `Created`, podman `Configured`/`Initialized`.
    Created,
    Dead,
    /// `Removal In Progress`, podman `Removing`.
    Removing,
    /// podman `Stopping`: the stop signal is sent, the process still runs.
    Stopping,
    /// podman `Stopped`/`Exited` without a code.
    Stopped,
    /// podman `Unknown`, or docker's empty STATUS (started, never finished).
    Unknown,
}

/// A parsed STATUS cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DockerStatus {
    pub kind: Kind,
    /// `healthy`, `unhealthy`, `health: starting` (podman: `starting`).
    pub health: Option<String>,
}

/// `docker-status = up-status / restarting-status / exited-status / removal-status / state-word`
pub(crate) fn docker_status(i: &str) -> IResult<&str, DockerStatus> {
    alt((
        up_status,
        restarting_status,
        exited_status,
        removal_status,
        state_word,
    ))
    .parse(i)
}

/// `up-status = "Up" SP human-duration [SP "ago"] [SP paren-note]`
fn up_status(i: &str) -> IResult<&str, DockerStatus> {
    // nerdctl and compose v1 print a bare `Up`.
    let (i, _) = (
        tag("Up"),
        opt((space1, human_duration, opt((space1, tag("ago"))))),
    )
        .parse(i)?;
    let (i, note) = opt(preceded(space1, paren_note)).parse(i)?;
    Ok(match note {
        Some(n) if n.eq_ignore_ascii_case("paused") => (
            i,
            DockerStatus {
                kind: Kind::Paused,
                health: None,
            },
        ),
        n => (
            i,
            DockerStatus {
                kind: Kind::Up,
                health: n.map(str::to_string),
            },
        ),
    })
}

/// `restarting-status = "Restarting" SP "(" exit-code ")" [SP ago-phrase]`
fn restarting_status(i: &str) -> IResult<&str, DockerStatus> {
    let (i, code) = preceded(
        (tag("Restarting"), space0),
        delimited(char('('), exit_code, char(')')),
    )
    .parse(i)?;
    let (i, _) = opt(preceded(space1, ago_phrase)).parse(i)?;
    let (i, health) = opt(preceded(space1, paren_note)).parse(i)?;
    Ok((
        i,
        DockerStatus {
            kind: Kind::Restarting(Some(code)),
            health: health.map(str::to_string),
        },
    ))
}

/// `exited-status = "Exited" SP "(" exit-code ")" [SP ago-phrase] [SP paren-note] / "Exit" SP exit-code`
fn exited_status(i: &str) -> IResult<&str, DockerStatus> {
    let (i, code) = alt((
        preceded(
            (tag_no_case("Exited"), space0),
            delimited(char('('), exit_code, char(')')),
        ),
        preceded((tag("Exit"), space1), exit_code),
    ))
    .parse(i)?;
    let (i, _) = opt(preceded(space1, ago_phrase)).parse(i)?;
    let (i, health) = opt(preceded(space1, paren_note)).parse(i)?;
    Ok((
        i,
        DockerStatus {
            kind: Kind::Exited(code),
            health: health.map(str::to_string),
        },
    ))
}

/// `removal-status = "Removal In Progress"`
fn removal_status(i: &str) -> IResult<&str, DockerStatus> {
    map(tag("Removal In Progress"), |_| DockerStatus {
        kind: Kind::Removing,
        health: None,
    })
    .parse(i)
}

/// `state-word = ("Created" / "Dead" / podman-word) [SP paren-note]` — any case:
/// podman before 4.0 printed its state words in lowercase.
fn state_word(i: &str) -> IResult<&str, DockerStatus> {
    let (i, word) = alpha1(i)?;
    let kind = match word.to_ascii_lowercase().as_str() {
        "created" | "configured" | "initialized" => Kind::Created,
        "dead" => Kind::Dead,
        "paused" => Kind::Paused,
        "running" | "up" => Kind::Up,
        "removing" => Kind::Removing,
        "stopping" => Kind::Stopping,
        // A bare `Exited`/`Restarting` is a state word; followed by `(` it is
        // a cut `exited-status`/`restarting-status`.
        "exited" | "restarting" if i.trim_start().starts_with('(') => {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            )));
        }
        "stopped" | "exited" => Kind::Stopped,
        "restarting" => Kind::Restarting(None),
        "unknown" => Kind::Unknown,
        _ => {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            )));
        }
    };
    let (i, health) = opt(preceded(space1, paren_note)).parse(i)?;
    Ok((
        i,
        DockerStatus {
            kind,
            health: health.map(str::to_string),
        },
    ))
}

/// `paren-note = "(" 1*(%x20-28 / %x2A-7E) ")"` — health or `Paused`.
fn paren_note(i: &str) -> IResult<&str, &str> {
    // Bounded, so a line of `Up (Up (…` is not scanned to its end at every word.
    delimited(
        char('('),
        take_while_m_n(1, 64, |c: char| c != ')'),
        char(')'),
    )
    .parse(i)
}

/// `exit-code = ["-"] 1*DIGIT` — Windows NTSTATUS codes print as large
/// unsigned decimals, so no 0–255 bound.
fn exit_code(i: &str) -> IResult<&str, i64> {
    map_res(recognize((opt(char('-')), digit1)), str::parse::<i64>).parse(i)
}

/// `ago-phrase = human-duration SP "ago"`
fn ago_phrase(i: &str) -> IResult<&str, &str> {
    recognize((human_duration, space1, tag("ago"))).parse(i)
}

/// `human-duration = "Less than a second" / "About a minute" / "About an hour" / 1*DIGIT SP unit`
/// (go-units `HumanDuration`).
pub(crate) fn human_duration(i: &str) -> IResult<&str, &str> {
    alt((
        tag_no_case("Less than a second"),
        tag_no_case("About a minute"),
        tag_no_case("About an hour"),
        recognize((digit1, space1, unit)),
    ))
    .parse(i)
}

/// `unit = ("second" / "minute" / "hour" / "day" / "week" / "month" / "year") ["s"]`
fn unit(i: &str) -> IResult<&str, &str> {
    let (rest, word) = alpha1(i)?;
    let base = word.strip_suffix('s').unwrap_or(word);
    if ["second", "minute", "hour", "day", "week", "month", "year"].contains(&base) {
        Ok((rest, word))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        )))
    }
}

/// The contract's states for a STATUS: `(state, last_state)`.
pub(crate) fn states(status: &DockerStatus) -> (State, Option<State>) {
    let mut state = State::new(match status.kind {
        Kind::Up | Kind::Paused | Kind::Stopping => Status::Running,
        Kind::Created | Kind::Restarting(_) => Status::Waiting,
        Kind::Exited(_) | Kind::Dead | Kind::Removing | Kind::Stopped => Status::Terminated,
        Kind::Unknown => Status::Unknown,
    });
    let mut last = None;
    match status.kind {
        Kind::Exited(code) => state.exit_code = Some(code),
        Kind::Restarting(Some(code)) => {
            let mut l = State::new(Status::Terminated);
            l.exit_code = Some(code);
            last = Some(l);
        }
        _ => {}
    }
    (state, last)
}

/// What a Kubernetes-managed container's name says (dockershim
/// `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>[_<random>]`; the pre-CRI
/// kubelet wrote `k8s_<container>.<hash>_<pod>_<namespace>_<uid>_<random>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct K8sName {
    pub container: String,
    pub pod: String,
    pub namespace: String,
    pub uid: String,
    pub attempt: Option<i64>,
    pub sandbox: bool,
}

/// Reads a `k8s_…` container name.
pub(crate) fn k8s_name(name: &str) -> Option<K8sName> {
    let parts: Vec<&str> = name.strip_prefix("k8s_")?.split('_').collect();
    if !(5..=6).contains(&parts.len()) || parts.iter().take(3).any(|p| p.is_empty()) {
        return None;
    }
    let (container, pre_cri) = match parts[0].split_once('.') {
        Some((c, _hash)) => (c, true),
        None => (parts[0], false),
    };
    let attempt = if pre_cri {
        None
    } else {
        parts[4].parse::<i64>().ok()
    };
    Some(K8sName {
        container: container.to_string(),
        pod: parts[1].to_string(),
        namespace: parts[2].to_string(),
        uid: parts[3].to_string(),
        attempt,
        sandbox: container == "POD",
    })
}

/// `container-id = 12HEXDIG / 64HEXDIG` (64 with `--no-trunc`).
fn container_id(s: &str) -> bool {
    (s.len() == 12 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The cells of one row that matter, by column name.
#[derive(Debug, Default)]
struct Cells {
    id: Option<String>,
    image: Option<String>,
    status: Option<String>,
    state: Option<String>,
    names: Option<String>,
    pod_name: Option<String>,
    /// podman's `{{.Restarts}}` column.
    restarts: Option<i64>,
}

/// Reads one line below a header.
pub(crate) fn row(layout: &Layout, line: &Line<'_>) -> RowOutcome {
    read_row(layout, line, false)
}

/// The columns of a default `docker ps` table, for rows with no header.
const DEFAULT_HEADER: &str = "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES";

/// True for a `docker ps` row whose header is not in the paste
/// (`docker ps -a | grep web`): an ID, an image, then `<created> ago`
/// right before a STATUS.
pub(crate) fn is_headerless_row(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    container_id(first)
        && by_tokens(&Layout::from_header(DEFAULT_HEADER), text)
            .is_some_and(|(_, created_ago)| created_ago)
}

/// Reads a `docker ps` row with no header above it.
pub(crate) fn headerless_row(line: &Line<'_>) -> RowOutcome {
    if !is_headerless_row(&line.text) {
        return RowOutcome::NotARow;
    }
    read_row(&Layout::from_header(DEFAULT_HEADER), line, true)
}

fn read_row(layout: &Layout, line: &Line<'_>, headerless: bool) -> RowOutcome {
    let text = line.text.as_ref();
    if text.trim().is_empty() {
        return RowOutcome::NotARow;
    }
    let has_id_column = layout
        .columns
        .first()
        .is_some_and(|c| c.name == "CONTAINER ID");
    let first = text.split_whitespace().next().unwrap_or_default();
    if has_id_column && !container_id(first) {
        // The paste ends inside the ID of a row: nothing to keep, but told.
        let id_prefix = first.len() < 64
            && first.bytes().all(|b| b.is_ascii_hexdigit())
            && first.bytes().any(|b| b.is_ascii_digit());
        if !line.terminated && !headerless && id_prefix && text.split_whitespace().nth(1).is_none()
        {
            return RowOutcome::Cut(Diagnostic::error(line.number, "docker ps row cut short"));
        }
        return RowOutcome::NotARow;
    }
    let aligned = if headerless {
        None
    } else {
        layout
            .cells_aligned(text)
            .and_then(|c| by_position(layout, c, !line.terminated))
    };
    let cells = match aligned {
        Some(cells) => cells,
        None => match by_tokens(layout, text) {
            Some((cells, _)) => cells,
            None if has_id_column => {
                // Shaped like a row (it opens with an ID) but its STATUS
                // cannot be found: keep what it has, say so.
                let image = (layout.columns.get(1).is_some_and(|c| c.name == "IMAGE"))
                    .then(|| text.split_whitespace().nth(1).map(str::to_string))
                    .flatten();
                let obs = observation(line, Some(first.to_string()), image, None, None);
                let msg = if line.terminated {
                    "docker ps row without a readable STATUS"
                } else {
                    "docker ps row cut short: no STATUS"
                };
                return RowOutcome::Row(Box::new(obs), vec![Diagnostic::error(line.number, msg)]);
            }
            None => return RowOutcome::NotARow,
        },
    };
    let mut diags = Vec::new();
    // STATUS says more (codes, health); a STATE-only table gives the word.
    let status_text = cells
        .status
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| cells.state.clone().filter(|s| !s.is_empty()))
        .or(cells.status.clone());
    let status = status_text.as_deref().and_then(|s| {
        if s.is_empty() {
            return None;
        }
        match docker_status(s) {
            Ok((_, st)) => Some(st),
            Err(_) => None,
        }
    });
    // Without an ID to open it, only a readable STATUS makes a line a row.
    if !has_id_column && status.is_none() {
        return RowOutcome::NotARow;
    }
    let names_column = layout.index("NAMES").is_some();
    let cut = !line.terminated && names_column && cells.names.as_deref().unwrap_or("").is_empty();
    if status.is_none() {
        let msg = match status_text.as_deref() {
            Some("") | None if cut => "docker ps row cut short: no STATUS".to_string(),
            Some("") | None => String::new(),
            Some(s) => format!("unreadable docker ps STATUS {s:?}"),
        };
        if !msg.is_empty() {
            diags.push(Diagnostic::error(line.number, msg));
        }
    } else if cut {
        diags.push(Diagnostic::error(
            line.number,
            "docker ps row cut short: no NAMES",
        ));
    }
    // A Kubernetes name cut by the end of the paste reads as no name at all.
    let mut names = cells.names.clone();
    let k8s_cut = !line.terminated
        && names
            .as_deref()
            .is_some_and(|n| n.starts_with("k8s_") && k8s_name(n).is_none());
    if k8s_cut {
        names = None;
        diags.push(Diagnostic::error(
            line.number,
            "docker ps row cut short in NAMES",
        ));
    }
    let mut obs = observation(
        line,
        cells.id.clone(),
        cells.image.clone(),
        names,
        status.as_ref(),
    );
    if obs.pod.is_none() {
        obs.pod = cells.pod_name.filter(|p| !p.is_empty());
    }
    if obs.restart_count.is_none() {
        obs.restart_count = cells.restarts;
    }
    match status_text.as_deref() {
        Some(s) if !s.is_empty() => obs.evidence.push(format!("listing STATUS={s}")),
        _ if status.is_none() && diags.is_empty() => {
            // docker prints an empty STATUS for a container that started and
            // never finished (daemon crash): unknown, and said so.
            obs.evidence.push("listing STATUS is empty".to_string());
        }
        _ => {}
    }
    RowOutcome::Row(Box::new(obs), diags)
}

/// Builds the observation of one row.
fn observation(
    line: &Line<'_>,
    id: Option<String>,
    image: Option<String>,
    names: Option<String>,
    status: Option<&DockerStatus>,
) -> Observation {
    let mut obs = Observation {
        line: line.number,
        offset: line.offset,
        format: Some(SourceFormat::DockerPs),
        container_id: id.filter(|s| !s.is_empty()),
        // An author may elide the next column into this one (`img:1  ...`);
        // image references never contain spaces.
        image: image.and_then(|s| s.split_whitespace().next().map(str::to_string)),
        ..Observation::default()
    };
    // `--no-trunc` (and docker before 1.11's links) list every name: the first is the container's own.
    let name = names
        .as_deref()
        .and_then(|n| n.split(',').next())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.trim_start_matches('/').to_string());
    if let Some(k8s) = name.as_deref().and_then(k8s_name) {
        obs.pod = Some(k8s.pod);
        obs.namespace = Some(k8s.namespace);
        obs.pod_uid = Some(k8s.uid).filter(|u| !u.is_empty());
        obs.restart_count = k8s.attempt;
        if k8s.sandbox {
            obs.container_type = ContainerType::Sandbox;
        }
        obs.container = Some(k8s.container);
    } else {
        // Podman names a pod's infra (pause) container `<pod id>-infra`.
        let infra = name.as_deref().is_some_and(|n| n.ends_with("-infra"))
            && obs.image.as_deref().is_some_and(|i| i.contains("pause"));
        if infra {
            obs.container_type = ContainerType::Sandbox;
        }
        obs.container = name;
    }
    match status {
        Some(st) => {
            let (state, last) = states(st);
            obs.state = state;
            obs.last_state = last;
            if let Some(h) = &st.health {
                obs.evidence.push(format!("listing health={h}"));
            }
        }
        None => obs.state = State::new(Status::Unknown),
    }
    obs.finish();
    obs
}

/// Picks the cells of an aligned row; `None` when they do not validate (an
/// ID that is not one, a STATUS that does not parse whole), so the row is
/// read by tokens instead.
fn by_position(layout: &Layout, cells: Vec<String>, cut: bool) -> Option<Cells> {
    let mut out = Cells::default();
    for (col, cell) in layout.columns.iter().zip(cells) {
        match col.name.to_ascii_uppercase().as_str() {
            "CONTAINER ID" => {
                if !container_id(&cell) {
                    return None;
                }
                out.id = Some(cell);
            }
            "IMAGE" => out.image = Some(cell),
            "STATUS" => {
                // On a cut last line the age may be cut (`Exited (1) 2 h`).
                match docker_status(&cell) {
                    _ if cell.is_empty() => {}
                    Ok(("", _)) => {}
                    Ok((rest, _)) if cut => {
                        let keep = cell.len() - rest.len();
                        out.status = Some(cell[..keep].to_string());
                        continue;
                    }
                    _ => return None,
                }
                out.status = Some(cell);
            }
            "STATE" => out.state = Some(cell),
            "NAMES" | "NAME" => out.names = Some(cell),
            "PODNAME" => out.pod_name = Some(cell),
            "RESTARTS" => out.restarts = cell.parse().ok(),
            _ => {}
        }
    }
    Some(out)
}

/// Reads a row whose cells do not sit under their headers: ID and IMAGE are
/// the first words, STATUS is found by its grammar after a quoted COMMAND,
/// NAMES is the last word when NAMES is the last column. Also says whether
/// the words before STATUS end in `ago` (a CREATED cell).
fn by_tokens(layout: &Layout, text: &str) -> Option<(Cells, bool)> {
    let names: Vec<&str> = layout.names().collect();
    // (byte offset, word)
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let mut out = Cells::default();
    let mut at = 0usize; // index into words
    for name in &names {
        match *name {
            "CONTAINER ID" | "IMAGE" => {
                let (_, w) = words.get(at)?;
                if *name == "CONTAINER ID" {
                    out.id = Some(w.to_string());
                } else {
                    out.image = Some(w.to_string());
                }
                at += 1;
            }
            _ => break,
        }
    }
    // Skip a quoted COMMAND: its words may look like anything.
    if names.contains(&"COMMAND") && words.get(at).is_some_and(|(_, w)| w.starts_with('"')) {
        let close = words[at..]
            .iter()
            .enumerate()
            .position(|(k, (_, w))| w.ends_with('"') && (k > 0 || w.len() > 1))?;
        at += close + 1;
    }
    // Find STATUS by its grammar at a word boundary.
    let mut found = None;
    for &(start, _) in words.iter().skip(at) {
        let rest = &text[start..];
        if let Ok((after, _)) = docker_status(rest) {
            // `Up`/`Exited` … must end at a word boundary.
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                out.status = Some(rest[..rest.len() - after.len()].trim().to_string());
                found = Some((start, text.len() - after.len()));
                break;
            }
        }
    }
    let (start, end) = found?;
    let created_ago = text[..start].trim_end().ends_with(" ago");
    if names.last() == Some(&"NAMES") {
        out.names = text[end..].split_whitespace().last().map(str::to_string);
    }
    if names.first() != Some(&"CONTAINER ID") && out.id.is_none() && out.names.is_none() {
        return None;
    }
    Some((out, created_ago))
}

/// Reads a chunk from a plain text, for tests.
#[cfg(test)]
fn parse_text(text: &str) -> Parsed {
    parse(Chunk::whole(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(s: &str) -> (Kind, Option<String>, &str) {
        let (rest, v) = docker_status(s).unwrap();
        (v.kind, v.health, rest)
    }

    #[test]
    fn docker_status_forms() {
        assert_eq!(st("Up 3 hours"), (Kind::Up, None, ""));
        assert_eq!(
            st("Up 3 hours (healthy)"),
            (Kind::Up, Some("healthy".into()), "")
        );
        assert_eq!(
            st("Up 5 seconds (health: starting)"),
            (Kind::Up, Some("health: starting".into()), "")
        );
        assert_eq!(st("Up 2 minutes (Paused)"), (Kind::Paused, None, ""));
        assert_eq!(st("Up Less than a second"), (Kind::Up, None, ""));
        assert_eq!(st("Up About a minute"), (Kind::Up, None, ""));
        assert_eq!(st("Up 2 minutes ago"), (Kind::Up, None, ""));
        assert_eq!(
            st("Exited (137) 2 hours ago"),
            (Kind::Exited(137), None, "")
        );
        assert_eq!(
            st("Exited (3221225786) About an hour ago"),
            (Kind::Exited(3221225786), None, "")
        );
        assert_eq!(st("Exit 0"), (Kind::Exited(0), None, ""));
        assert_eq!(
            st("Restarting (1) 5 seconds ago"),
            (Kind::Restarting(Some(1)), None, "")
        );
        assert_eq!(st("Created"), (Kind::Created, None, ""));
        assert_eq!(st("Dead"), (Kind::Dead, None, ""));
        assert_eq!(st("Removal In Progress"), (Kind::Removing, None, ""));
        assert_eq!(st("stopped"), (Kind::Stopped, None, ""));
        assert_eq!(
            st("Exited (1) 5 seconds ago   web"),
            (Kind::Exited(1), None, "   web")
        );
        assert!(docker_status("3 hours ago").is_err());
        assert!(docker_status("Exited (").is_err());
    }

    #[test]
    fn k8s_names() {
        let n = k8s_name("k8s_app_web-7d9f8_default_0b1c-22_3").unwrap();
        assert_eq!(
            (n.container.as_str(), n.pod.as_str(), n.namespace.as_str()),
            ("app", "web-7d9f8", "default")
        );
        assert_eq!(n.attempt, Some(3));
        assert!(k8s_name("k8s_POD_web_default_uid_0").unwrap().sandbox);
        let old = k8s_name("k8s_app.1a2b3c4d_web_default_uid_5e6f7a8b").unwrap();
        assert_eq!((old.container.as_str(), old.attempt), ("app", None));
        assert!(k8s_name("k8s_only_three").is_none());
        assert!(k8s_name("my_container").is_none());
    }

    #[test]
    fn header_recognized() {
        assert!(is_header(
            b"CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES"
        ));
        assert!(is_header(
            b"    CONTAINER ID     IMAGE      CREATED    STATUS"
        ));
        assert!(is_header(b"NAMES     STATUS"));
        assert!(!is_header(
            b"CONTAINER   IMAGE   CREATED   STATE   NAME   ATTEMPT   POD ID"
        ));
        assert!(!is_header(b"NAME   READY   STATUS   RESTARTS   AGE"));
        assert!(!is_header(b"the STATUS of CONTAINER ID"));
    }

    #[test]
    fn row_unaligned_falls_back_to_tokens() {
        let p = parse_text(
            "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\n\
             0123456789ab   nginx:1.25   \"nginx -g 'daemon of…\"   3 days ago   Up 3 hours (unhealthy)   0.0.0.0:80->80/tcp, :::80->80/tcp   web\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let o = &p.observations[0];
        assert_eq!(o.container.as_deref(), Some("web"));
        assert_eq!(o.image.as_deref(), Some("nginx:1.25"));
        assert_eq!(o.state.status, Status::Running);
        assert!(o.evidence.contains(&"listing health=unhealthy".to_string()));
    }

    #[test]
    fn cut_row_keeps_what_it_has() {
        let p = parse_text(
            "CONTAINER ID   IMAGE   COMMAND   CREATED       STATUS                     PORTS   NAMES\n\
             0123456789ab   nginx   \"nginx\"   2 hours ago   Exit",
        );
        assert_eq!(p.observations.len(), 1);
        assert_eq!(
            p.observations[0].container_id.as_deref(),
            Some("0123456789ab")
        );
        assert_eq!(p.diagnostics.len(), 1);
    }
}
