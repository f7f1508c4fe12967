//! Docs that cannot drift: every ```` ```sh runnable ```` block of
//! README.md and docs/cli.md is run, a file's blocks in order in one bash
//! (as a reader types them into one terminal), against a fresh
//! `tokensign node` whose URL is in `$TOKENSIGN_URL`, in a scratch
//! directory that is also `$HOME`, with the `tokensign` under test first
//! on `PATH`. A block that fails fails the test, with its output.

mod cli_support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cli_support::node::start_node;
use cli_support::ENV_VARS;

/// The runnable blocks of a Markdown file: (first line number, script).
fn runnable_blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```sh runnable") => {
                current = Some((n + 2, String::new()));
            }
            Some(_) if line.trim_start().starts_with("```") => {
                blocks.extend(current.take());
            }
            Some((_, script)) => {
                script.push_str(line);
                script.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// Runs `doc`'s runnable blocks; panics with the output of the one that
/// fails.
fn run_doc(doc: &str, expected_blocks: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(doc)).unwrap();
    let blocks = runnable_blocks(&text);
    assert!(
        blocks.len() >= expected_blocks,
        "{doc}: {} runnable blocks, expected at least {expected_blocks}",
        blocks.len()
    );
    let scratch = tempfile::tempdir().unwrap();
    let bin = scratch.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tokensign"), bin.join("tokensign")).unwrap();
    let home = scratch.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let data = scratch.path().join("node");
    let (_node, url) = start_node(data.to_str().unwrap(), &[]);
    // One script: a marker before each block says which one ran last.
    let mut script = String::from("set -euo pipefail\ncd \"$HOME\"\n");
    for (line, block) in &blocks {
        script.push_str(&format!("echo '### {doc}:{line}' >&2\n{block}"));
    }
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(&script);
    for var in ENV_VARS {
        cmd.env_remove(var);
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("PATH", path)
        .env("HOME", &home)
        .env("TOKENSIGN_URL", &url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (reader.join().unwrap(), err_reader.join().unwrap());
    let last = stderr
        .lines()
        .rfind(|l| l.starts_with("### "))
        .unwrap_or("### (none)");
    assert!(
        status.is_some_and(|s| s.success()),
        "{doc}: the block at {} failed ({status:?})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        &last[4..]
    );
}

#[test]
fn the_readme_runnable_blocks_run() {
    run_doc("README.md", 6);
}

#[test]
fn the_cli_guide_runnable_blocks_run() {
    run_doc("docs/cli.md", 3);
}

#[test]
fn blocks_are_found_as_marked() {
    let text =
        "a\n```sh runnable\necho 1\necho 2\n```\n```sh\nnot this\n```\n```sh runnable\nx\n```\n";
    let blocks = runnable_blocks(text);
    assert_eq!(
        blocks,
        vec![(3, "echo 1\necho 2\n".to_owned()), (10, "x\n".to_owned())]
    );
}
