//! The docker/podman inspect values the inspect hot path (`inspect_fast` in
//! mod.rs) reads — `State`, the names, the restart counts — read with the
//! same cursor as the Pod path instead of a serde call per value. Each
//! takes the value's bytes whole and gives `None` wherever serde must read
//! them (the caller then does, so the result is the same either way).

use super::{Cur, boolean, fields, int, list, obj, string};
use crate::format::json::de::{Bool, Int, Present, Str};
use crate::format::json::inspect::{DockerState, Health, HealthLog};

/// `v` (exactly one value) read by `read`.
fn whole<'b, T>(v: &'b [u8], read: impl FnOnce(&mut Cur<'b>) -> Option<T>) -> Option<T> {
    let mut c = Cur { b: v, i: 0 };
    let t = read(&mut c)?;
    (c.i == v.len()).then_some(t)
}

/// A `Str` value.
pub fn str_value(v: &[u8]) -> Option<Str<'_>> {
    whole(v, string)
}

/// An `Int` value.
pub fn int_value(v: &[u8]) -> Option<Int> {
    whole(v, int)
}

/// A `Bool` value.
pub fn bool_value(v: &[u8]) -> Option<Bool> {
    whole(v, boolean)
}

/// A `State` object.
pub fn docker_state(v: &[u8]) -> Option<DockerState<'_>> {
    whole(v, |c| {
        if c.peek()? != b'{' {
            return None;
        }
        let mut s = DockerState::default();
        let names: [&[u8]; 13] = [
            b"Status",
            b"Running",
            b"Paused",
            b"Restarting",
            b"OOMKilled",
            b"Dead",
            b"ExitCode",
            b"Error",
            b"StartedAt",
            b"FinishedAt",
            b"Health",
            b"Healthcheck",
            b"OciVersion",
        ];
        fields(c, &names, |c, k| {
            match k {
                0 => s.status = string(c)?,
                1 => s.running = boolean(c)?,
                2 => s.paused = boolean(c)?,
                3 => s.restarting = boolean(c)?,
                4 => s.oom_killed = boolean(c)?,
                5 => s.dead = boolean(c)?,
                6 => s.exit_code = int(c)?,
                7 => s.error = string(c)?,
                8 => s.started_at = string(c)?,
                9 => s.finished_at = string(c)?,
                10 => s.health = obj(c, health)?,
                11 => s.healthcheck = obj(c, health)?,
                _ => {
                    c.skip_value(1)?;
                    s.oci_version = Present(true);
                }
            }
            Some(())
        })?;
        Some(s)
    })
}

fn health<'b>(c: &mut Cur<'b>) -> Option<Health<'b>> {
    let mut h = Health::default();
    fields(c, &[b"Status", b"FailingStreak", b"Log"], |c, k| {
        match k {
            0 => h.status = string(c)?,
            1 => h.failing_streak = int(c)?,
            _ => {
                h.log = list(
                    c,
                    |c| {
                        obj(c, |c| {
                            let mut l = HealthLog::default();
                            fields(c, &[b"ExitCode", b"Output"], |c, k| {
                                if k == 0 {
                                    l.exit_code = int(c)?;
                                } else {
                                    l.output = string(c)?;
                                }
                                Some(())
                            })?;
                            Some(l)
                        })
                    },
                    None,
                )?
            }
        }
        Some(())
    })?;
    Some(h)
}
