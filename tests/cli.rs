//! Command-line basics: exit statuses, stdin, unreadable paths.

use crate::util::exitparse;

#[test]
fn bad_flag_exits_2() {
    let run = exitparse(&["--no-such-flag"], None);
    assert_eq!(run.status, 2);
}

#[test]
fn missing_file_is_reported_and_exits_1() {
    let run = exitparse(&["no/such/file.txt"], None);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with("exitparse: no/such/file.txt: "),
        "{}",
        run.stderr
    );
}

#[test]
fn help_lists_exit_statuses() {
    let run = exitparse(&["--help"], None);
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("Exit status:"));
}

#[test]
fn empty_input_is_a_notice_not_an_error() {
    let run = exitparse(&[], Some(b"\n\n"));
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "exitparse: -: note: empty input: nothing to read\n"
    );
}
