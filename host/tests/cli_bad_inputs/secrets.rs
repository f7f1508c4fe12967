//! Secrets in successful runs.

use crate::cli_support::*;

/// With a known key in use, successful commands do not print it either.
#[test]
fn successful_runs_do_not_print_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = write_file(dir.path(), "key", SPEC_KEY);
    let data = dir.path().join("data");
    let runs = [
        run(&["address", "--private-key-file", &key_file]),
        run_with(
            &["--json", "sign", "--private-key-file", &key_file],
            &[],
            Some(spec_payload7(5).as_bytes()),
        ),
        run(&[
            "issue",
            "--symbol",
            "SAFE",
            "--name",
            "Safe",
            "--decimals",
            "1",
            "--master-authority",
            SPEC_ADDRESS,
            "--private-key-file",
            &key_file,
            "--data-dir",
            data.to_str().unwrap(),
        ]),
    ];
    for out in &runs {
        assert_eq!(out.code, 0, "{out:?}");
        assert!(!out.all().contains(SPEC_KEY), "{out:?}");
        assert!(!out.all().contains(&SPEC_KEY.to_uppercase()), "{out:?}");
    }
    assert_eq!(runs[0].stdout.trim(), SPEC_ADDRESS);
    // A user key on the embedded server is trusted there too (not the dev key).
    assert!(!runs[2].stdout.contains("development key"), "{:?}", runs[2]);
}
