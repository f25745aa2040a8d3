//! The rule data and the masking itself: every built-in rule's examples and
//! near misses, cut secrets, every free-text field of an observation, the
//! counts, and the errors of a `--redact-rules` file.

use super::*;
use crate::model::{Logs, Observation, State, Status};

fn mask(text: &str) -> String {
    let mut tally = Tally::default();
    builtin()
        .text(text, &mut tally)
        .unwrap_or_else(|| text.to_string())
}

#[test]
fn builtin_rules_load_with_examples_and_near_misses() {
    // What a --redact-rules file must pass, the built-in file passes too:
    // every pattern compiles and has a secret group, every example comes
    // out as written, no near miss is masked.
    if let Err(e) = rules::parse(BUILTIN, &[], Check::Full) {
        panic!("grammar/rules/redact.toml:{}: {}", e.line, e.message);
    }
    let r = builtin();
    assert!(r.rules().len() >= 15);
    for rule in r.rules() {
        assert!(!rule.examples.is_empty(), "{} has no example", rule.id);
        assert!(!rule.what.is_empty(), "{}", rule.id);
    }
    // The kinds the issue names each have a rule.
    for id in [
        "pem_private_key",
        "url_password",
        "authorization_header",
        "jwt",
        "aws_access_key_id",
        "aws_secret_access_key",
        "gcp_api_key",
        "gcp_service_account_key",
        "azure_storage_key",
        "github_token",
        "gitlab_token",
        "slack_token",
        "password_value",
    ] {
        assert!(r.rules().iter().any(|x| x.id == id), "no rule {id}");
    }
}

#[test]
fn near_misses_survive_the_whole_rule_set() {
    for rule in builtin().rules() {
        for near in &rule.near_misses {
            assert_eq!(&mask(near), near, "rule {} near miss", rule.id);
        }
    }
    for near in [
        "password_policy=strict",
        "sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
        "docker-pullable://nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
        "containerd://4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
        "Liveness probe failed: Get \"http://10.244.0.5:8080/healthz\": context deadline exceeded",
        "Back-off restarting failed container app in pod api_shop(2b0c0e4e-1a2b-4c3d-9e8f-001122334455)",
        "Error: secret \"db-creds\" not found",
    ] {
        assert_eq!(mask(near), near);
    }
}

#[test]
fn examples_through_the_whole_set_hide_every_secret() {
    // Each rule's example, run through all rules, still loses its secret.
    for rule in builtin().rules() {
        for (input, want) in &rule.examples {
            let got = mask(input);
            assert!(got.contains(MASK), "{}: {got}", rule.id);
            assert_eq!(&got, want, "rule {}", rule.id);
        }
    }
}

#[test]
fn a_value_cut_inside_a_secret_has_its_visible_part_masked() {
    // kubelet keeps 4096 bytes of a termination message: the text ends in
    // the middle of whatever secret was being printed.
    let filler = "x".repeat(4000);
    for (tail, leak) in [
        ("Authorization: Bearer eyJhbGciOiJSUzI1", "eyJhbGciOiJSUzI1"),
        (
            "jwt eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIi",
            "eyJzdWIi",
        ),
        ("postgres://app:s3cr3tPa", "s3cr3tPa"),
        ("password=hunt", "hunt"),
        ("{\"password\": \"corr", "corr"),
        ("GITHUB_TOKEN=ghp_16C7e4", "16C7e4"),
        ("glpat-xYz12", "xYz12"),
        ("xoxb-123456", "123456"),
        ("AKIAIOSFODNN7E", "IOSFODNN7E"),
        ("AccountKey=Eby8vdM02xNOcq", "Eby8vdM02xNOcq"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq\nq2dGk9X",
            "q2dGk9X",
        ),
    ] {
        let value = format!("{filler} {tail}");
        let got = mask(&value);
        assert!(!got.contains(leak), "{tail}: {}", &got[4000..]);
        assert!(got.ends_with(MASK), "{tail}: {}", &got[4000..]);
    }
    // Cut at the start: only the END line of a key is left.
    let got = mask("BQADggEBAKJ0abcdefghij==\n-----END PRIVATE KEY-----\nok");
    assert_eq!(got, "***HIDDEN***\n-----END PRIVATE KEY-----\nok");
}

#[test]
fn names_hosts_and_keys_stay_readable() {
    assert_eq!(
        mask("dial mysql://shop_rw:p4ss@mysql.shop.svc:3306/shop?password=two&sslmode=require"),
        "dial mysql://shop_rw:***HIDDEN***@mysql.shop.svc:3306/shop?password=***HIDDEN***&sslmode=require"
    );
    assert_eq!(
        mask(
            "aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ),
        "aws_access_key_id=AKIA***HIDDEN*** aws_secret_access_key=***HIDDEN***"
    );
}

#[test]
fn a_service_account_key_file_keeps_only_its_shape() {
    let key = r#"{"type": "service_account", "project_id": "shop-prod", "private_key_id": "4f2b9c0d1e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n", "client_email": "ci@shop-prod.iam.gserviceaccount.com"}"#;
    let got = mask(key);
    assert!(!got.contains("4f2b9c0d"), "{got}");
    assert!(!got.contains("MIIEvQ"), "{got}");
    assert!(
        got.contains("ci@shop-prod.iam.gserviceaccount.com"),
        "{got}"
    );
    assert!(got.contains("\"project_id\": \"shop-prod\""), "{got}");
}

#[test]
fn values_without_a_trigger_are_not_touched_or_counted() {
    let mut tally = Tally::default();
    assert_eq!(
        builtin().text("OOMKilled: container app used 512Mi", &mut tally),
        None
    );
    // A trigger alone (the word "token") runs the rule, which finds nothing.
    assert_eq!(builtin().text("token expired", &mut tally), None);
    assert_eq!(tally, Tally::default());
}

fn planted_observation() -> Observation {
    let mut state = State::new(Status::Terminated);
    state.message = Some("connect redis://:hunter2@cache:6379".to_string());
    let mut last = State::new(Status::Terminated);
    last.message = Some("Authorization: Bearer abc123def".to_string());
    Observation {
        pod: Some("api-password=notasecret".to_string()),
        image: Some("registry.example/api@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac".to_string()),
        state,
        last_state: Some(last),
        events: vec![
            "Failed: Error: password=s3cr3t".to_string(),
            "Pulled: Successfully pulled image".to_string(),
        ],
        logs: Some(Logs {
            path: "bundle!/logs/api.log".to_string(),
            previous: true,
            tail: vec![
                "starting".to_string(),
                "DATABASE_URL=postgres://app:pw1@db/app".to_string(),
                "token: xoxb-1234567890-abcdefghij".to_string(),
            ],
            finding: Some("go_panic".to_string()),
            finding_line: Some("panic: bad AccountKey=Zm9vYmFy;".to_string()),
        }),
        evidence: vec!["health=unhealthy (failing streak 3): api_key=K9x".to_string()],
        ..Observation::default()
    }
}

#[test]
fn every_free_text_field_of_an_observation_is_masked_and_counted() {
    let mut obs = planted_observation();
    let mut tally = Tally::default();
    builtin().observation(&mut obs, &mut tally);
    let text = format!("{obs:?}");
    for secret in [
        "hunter2",
        "abc123def",
        "s3cr3t",
        "pw1",
        "1234567890-abcdefghij",
        "Zm9vYmFy",
        "K9x",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Structured fields are not free text, even when they look like it.
    assert_eq!(obs.pod.as_deref(), Some("api-password=notasecret"));
    assert!(obs.image.unwrap().contains("sha256:4c0f"));
    assert_eq!(
        obs.logs.as_ref().unwrap().finding.as_deref(),
        Some("go_panic")
    );
    assert_eq!(obs.events[1], "Pulled: Successfully pulled image");
    assert_eq!(tally.values, 7);
    let counts = builtin().counts(&tally);
    let get = |id: &str| counts.iter().find(|(r, _)| *r == id).map(|(_, n)| *n);
    assert_eq!(get("url_password"), Some(2));
    assert_eq!(get("authorization_header"), Some(1));
    assert_eq!(get("slack_token"), Some(1));
    assert_eq!(get("azure_storage_key"), Some(1));
    assert_eq!(get("password_value"), Some(2));
    assert_eq!(get("jwt"), None);
}

#[test]
fn redacting_a_record_twice_changes_and_counts_nothing_more() {
    let obs = planted_observation();
    let mut tally = Tally::default();
    let mut record = Record::redacted(Arc::from("p"), obs, Some(builtin()), &mut tally);
    let first = record.clone();
    let mut again = Tally::default();
    builtin().record(&mut record, &mut again);
    assert_eq!(record, first);
    assert_eq!(again, Tally::default());
    // Without redaction the record carries the secrets (the --no-redact path).
    let mut none = Tally::default();
    let plain = Record::redacted(Arc::from("p"), planted_observation(), None, &mut none);
    assert!(format!("{:?}", plain.observation).contains("hunter2"));
    assert_eq!(none, Tally::default());
}

#[test]
fn a_late_record_level_pass_masks_what_was_joined_after_classification() {
    // A log tail and a kubelet line joined onto an already classified
    // record: the record is judged again from the masked observation.
    let mut state = State::new(Status::Terminated);
    state.exit_code = Some(1);
    state.message = Some("boom".to_string());
    let obs = Observation {
        state,
        ..Observation::default()
    };
    let mut record = Record::new(Arc::from("p"), obs);
    record.observation.state.message = Some("db password=pw0 refused".to_string());
    record.observation.logs = Some(Logs {
        tail: vec!["jdbc:postgresql://u:pw9@h/db".to_string()],
        finding_line: Some("Bearer 0a1b2c3d4e".to_string()),
        ..Logs::default()
    });
    record
        .observation
        .evidence
        .push("kubelet: probe failed: token=abc".to_string());
    let mut tally = Tally::default();
    builtin().record(&mut record, &mut tally);
    let logs = record.observation.logs.as_ref().unwrap();
    assert_eq!(logs.tail[0], "jdbc:postgresql://u:***HIDDEN***@h/db");
    assert_eq!(logs.finding_line.as_deref(), Some("Bearer ***HIDDEN***"));
    assert!(
        record
            .classification
            .evidence
            .contains(&"kubelet: probe failed: token=***HIDDEN***".to_string()),
        "{:?}",
        record.classification.evidence
    );
    assert_eq!(
        record.classification,
        crate::classify::classify(&record.observation)
    );
    assert_eq!(tally.values, 4);

    // Evidence from a field this module does not know is masked too.
    let mut record = Record::new(Arc::from("p"), Observation::default());
    record
        .classification
        .evidence
        .push("joined Failed: api_key=K9".to_string());
    let mut tally = Tally::default();
    builtin().record(&mut record, &mut tally);
    assert_eq!(
        record.classification.evidence.last().unwrap(),
        "joined Failed: api_key=***HIDDEN***"
    );
    assert_eq!(tally.values, 1);
}

#[test]
fn tallies_add_up_across_lengths() {
    let mut a = Tally {
        values: 1,
        per_rule: vec![1],
    };
    a.add(&Tally {
        values: 2,
        per_rule: vec![0, 2],
    });
    assert_eq!(
        a,
        Tally {
            values: 3,
            per_rule: vec![1, 2]
        }
    );
}

fn load(text: &str) -> Result<Vec<Rule>, RuleError> {
    rules::parse(text, &["url_password"], Check::Full)
}

const GOOD: &str = r#"
[[rule]]
id = "shop_key"
what = "shop API keys"
triggers = ["shk_"]
pattern = '\bshk_(?P<secret>[a-z0-9]+)'
examples = [["k=shk_abc123", "k=shk_***HIDDEN***"]]
near_misses = ["shk_ alone"]
"#;

#[test]
fn a_rules_file_of_the_same_shape_adds_rules() {
    let rules = load(GOOD).unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].line, 2);
    let mut all = rules::parse(BUILTIN, &[], Check::Shape).unwrap();
    all.extend(rules);
    let r = Redactor::new(all);
    let mut tally = Tally::default();
    assert_eq!(
        r.text("x shk_zz9 and password=y", &mut tally).as_deref(),
        Some("x shk_***HIDDEN*** and password=***HIDDEN***")
    );
    assert_eq!(
        r.counts(&tally),
        vec![("password_value", 1), ("shop_key", 1)]
    );
}

#[test]
fn a_broken_rules_file_names_its_line() {
    let err = |text: &str| load(text).unwrap_err();
    // TOML syntax.
    let e = err("[[rule]]\nid = \"a\"\nwhat = oops\n");
    assert_eq!(e.line, 3, "{e:?}");
    // A key the format does not know.
    let e = err(&GOOD.replace("what =", "whot ="));
    assert!(e.message.contains("whot"), "{e:?}");
    // A pattern that does not compile: the pattern's line.
    let e = err(&GOOD.replace(r"(?P<secret>[a-z0-9]+)", r"(?P<secret>[a-z0-9+)"));
    assert_eq!(e.line, 6, "{e:?}");
    assert!(e.message.contains("bad pattern"), "{e:?}");
    // Nothing to mask.
    let e = err(&GOOD.replace("(?P<secret>", "("));
    assert!(e.message.contains("no group named `secret`"), "{e:?}");
    // An example that does not come out as written: the example's line.
    let e = err(&GOOD.replace("k=shk_***HIDDEN***", "k=shk_abc123"));
    assert_eq!(e.line, 7, "{e:?}");
    // Triggers its own examples lack would never fire.
    let e = err(&GOOD.replace(r#"["shk_"]"#, r#"["xyz_"]"#));
    assert!(e.message.contains("none of the triggers"), "{e:?}");
    let e = err(&GOOD.replace(r#"["shk_"]"#, "[]"));
    assert!(e.message.contains("triggers"), "{e:?}");
    // A near miss the rule masks.
    let e = err(&GOOD.replace("shk_ alone", "shk_abc"));
    assert!(e.message.contains("near miss"), "{e:?}");
    // Ids: unique across files, plain.
    let e = err(&GOOD.replace("shop_key", "url_password"));
    assert!(e.message.contains("already defined"), "{e:?}");
    let e = err(&GOOD.replace("shop_key", "Shop Key"));
    assert_eq!(e.line, 2, "{e:?}");
}

#[test]
fn with_file_reports_the_path() {
    let dir = std::env::temp_dir().join(format!("exitparse-redact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[[rule]]\nid = 3\n").unwrap();
    let e = Redactor::with_file(&bad).unwrap_err();
    assert_eq!(e.line, 2);
    assert!(
        e.to_string().starts_with(&format!("{}:2: ", bad.display())),
        "{e}"
    );
    let missing = Redactor::with_file(&dir.join("none.toml")).unwrap_err();
    assert!(missing.message.contains("cannot read"), "{missing}");
    let good = dir.join("good.toml");
    std::fs::write(&good, GOOD).unwrap();
    let r = Redactor::with_file(&good).unwrap();
    assert_eq!(r.rules().last().unwrap().id, "shop_key");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The bare DFA walk against the automaton's own search, on text built
/// from the triggers (in any case, cut, glued) and noise.
mod gate {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        let triggers: Vec<String> = builtin()
            .rules()
            .iter()
            .flat_map(|r| r.triggers.iter().cloned())
            .collect();
        let piece = prop_oneof![
            prop::sample::select(triggers.clone()),
            prop::sample::select(triggers.clone()).prop_map(|t| t.to_ascii_uppercase()),
            (prop::sample::select(triggers), any::<prop::sample::Index>()).prop_map(|(t, i)| {
                let cut = i.index(t.len() + 1);
                t[..cut].to_string()
            }),
            "[a-zA-Z0-9 :/@_.-]{0,6}",
            Just("é".to_string()),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn same_as_the_automaton(v in text()) {
            let r = builtin();
            prop_assert_eq!(r.triggered(&v), r.prefilter.is_match(&v));
        }
    }

    #[test]
    fn fixed_values() {
        let r = builtin();
        for v in [
            "",
            "x",
            "PASS",
            "pas",
            "Bearer abc",
            "no secrets here",
            "a://b",
            "ey",
            "eyJ",
        ] {
            assert_eq!(r.triggered(v), r.prefilter.is_match(v), "{v:?}");
        }
    }
}
