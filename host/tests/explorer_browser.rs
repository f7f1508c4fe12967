//! The explorer in a real browser, as part of `cargo test`: runs the
//! Playwright tests of `tests/browser/test_explorer.py` (pytest, Playwright
//! for Python driving Debian's headless Chromium) against this build's
//! `tokensign`.
//!
//! The Python is `$TOKENSIGN_BROWSER_PYTHON`, else the venv `.ci/run` makes
//! (`target/browser-venv`), else `python3`. Where it cannot import
//! Playwright and pytest, or Chromium is missing, the tests skip with a loud
//! message, unless `TOKENSIGN_REQUIRE_BROWSER=1` (CI), which makes that a
//! failure.

use std::path::{Path, PathBuf};
use std::process::Command;

const REQUIRE: &str = "TOKENSIGN_REQUIRE_BROWSER";
const SKIPPED: &str = "BROWSER TESTS NOT RUN";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("host/ has a parent")
        .to_path_buf()
}

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("TOKENSIGN_BROWSER_PYTHON") {
        return python.into();
    }
    let venv = workspace_root().join("target/browser-venv/bin/python");
    if venv.exists() {
        venv
    } else {
        "python3".into()
    }
}

fn required() -> bool {
    std::env::var(REQUIRE).is_ok_and(|v| v == "1")
}

#[test]
fn the_explorer_passes_its_browser_tests() {
    let python = python();
    let importable = Command::new(&python)
        .args(["-c", "import playwright.sync_api, pytest"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !importable {
        let message = format!(
            "{SKIPPED}: {} cannot import Playwright and pytest (python3 -m venv \
             target/browser-venv && target/browser-venv/bin/pip install -r \
             tests/browser/requirements.txt, or $TOKENSIGN_BROWSER_PYTHON)",
            python.display()
        );
        assert!(!required(), "{message} (${REQUIRE}=1)");
        eprintln!("\n*** SKIPPED: {message} ***\n");
        return;
    }
    let out = Command::new(&python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/browser",
        ])
        .current_dir(workspace_root())
        .env("TOKENSIGN_BIN", env!("CARGO_BIN_EXE_tokensign"))
        .output()
        .expect("pytest starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the browser tests failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // Without Chromium the module skips (pytest still succeeds): say so
    // loudly; with TOKENSIGN_REQUIRE_BROWSER=1 the tests fail instead.
    if stdout.contains(SKIPPED) {
        eprintln!("\n*** SKIPPED: {stdout} ***\n");
    } else {
        assert!(
            stdout.contains(" passed") && !stdout.contains("skipped"),
            "expected every browser test to run and pass:\n{stdout}"
        );
    }
}
