//! Names taken from the command line a person pasted above the output
//! (`$ docker inspect web`, `k get pod api -o json | jq .status`): cut or
//! `jq`-filtered output often lacks the name the command shows.

/// What a pasted command names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hint {
    /// The one container a `docker|podman|nerdctl|crictl inspect` names.
    pub container: Option<String>,
    /// The one pod a `kubectl|k|oc get pod` names.
    pub pod: Option<String>,
    /// Its `-n`/`--namespace`.
    pub namespace: Option<String>,
}

/// Splits a shell line into words, honouring quotes; stops at a pipe,
/// redirection or command separator.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut has = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    has = true;
                }
                ' ' | '\t' => {
                    if has {
                        out.push(std::mem::take(&mut cur));
                        has = false;
                    }
                }
                '|' | '>' | ';' | '&' => break,
                _ => {
                    cur.push(c);
                    has = true;
                }
            },
        }
    }
    if has {
        out.push(cur);
    }
    out
}

/// Options that take a value as the next word.
const VALUE_OPTIONS: &[&str] = &[
    "-f",
    "--format",
    "--type",
    "-o",
    "--output",
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "--context",
    "-c",
    "--container",
    "-r",
    "--runtime-endpoint",
    "--kubeconfig",
    "--template",
];

/// The positional words after `from`, and the namespace option if any.
fn positionals(words: &[String]) -> (Vec<&str>, Option<String>) {
    let mut out = Vec::new();
    let mut ns = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if let Some(v) = w.strip_prefix("--namespace=") {
            ns = Some(v.to_string());
        } else if w == "-n" || w == "--namespace" {
            ns = words.get(i + 1).cloned();
            i += 1;
        } else if VALUE_OPTIONS.contains(&w) {
            i += 1;
        } else if !w.starts_with('-') {
            out.push(w);
        }
        i += 1;
    }
    (out, ns)
}

/// Reads a pasted command line; `None` when it is not an inspect or a
/// `get pod` naming exactly one object.
pub fn command(line: &str) -> Option<Hint> {
    if line.len() > 4096 {
        return None;
    }
    let w = words(line);
    let tool = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    for (i, word) in w.iter().enumerate() {
        let t = tool(word);
        if matches!(t.as_str(), "docker" | "podman" | "nerdctl" | "crictl") {
            let mut j = i + 1;
            if w.get(j).is_some_and(|x| x == "container") {
                j += 1;
            }
            if w.get(j).is_none_or(|x| x != "inspect") {
                continue;
            }
            let (pos, _) = positionals(&w[j + 1..]);
            if let [one] = pos.as_slice() {
                // A hex ID is not a name.
                let hex = one.len() >= 12 && one.bytes().all(|b| b.is_ascii_hexdigit());
                return Some(Hint {
                    container: (!hex).then(|| one.trim_start_matches('/').to_string()),
                    ..Hint::default()
                });
            }
            return None;
        }
        if matches!(t.as_str(), "kubectl" | "k" | "oc") {
            let get = w[i + 1..].iter().position(|x| x == "get")? + i + 1;
            let (pos, ns) = positionals(&w[get + 1..]);
            let pod = match pos.as_slice() {
                [res, name] if matches!(*res, "pod" | "pods" | "po") => Some(name.to_string()),
                [res] => res
                    .strip_prefix("pod/")
                    .or_else(|| res.strip_prefix("pods/"))
                    .map(str::to_string),
                _ => None,
            };
            return pod.map(|p| Hint {
                pod: Some(p),
                namespace: ns,
                ..Hint::default()
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_commands() {
        assert_eq!(
            command("$ sudo docker inspect mariaDB")
                .unwrap()
                .container
                .as_deref(),
            Some("mariaDB")
        );
        assert_eq!(
            command("➜  mysql sudo docker inspect  my-mysql")
                .unwrap()
                .container
                .as_deref(),
            Some("my-mysql")
        );
        assert_eq!(
            command("docker inspect --format '{{json .State}}' web | jq")
                .unwrap()
                .container
                .as_deref(),
            Some("web")
        );
        assert_eq!(
            command("docker inspect c35e838c9646ec13")
                .unwrap()
                .container,
            None
        );
        assert_eq!(command("docker inspect a b"), None);
        assert_eq!(command("docker logs web"), None);
    }

    #[test]
    fn get_pod_commands() {
        let h = command("vagrant@h:~$ k get pod sample -n prod -o json | jq .status").unwrap();
        assert_eq!(h.pod.as_deref(), Some("sample"));
        assert_eq!(h.namespace.as_deref(), Some("prod"));
        assert_eq!(
            command("kubectl get pod/web -o yaml")
                .unwrap()
                .pod
                .as_deref(),
            Some("web")
        );
        assert_eq!(command("kubectl get pods -o json"), None);
    }
}
