//! What a new user hits first (issue 12, item 7), through the binary: the
//! README's commands as written, which server is used, what is waited for
//! and for how long, argument errors under `--json`, the help of `node`,
//! a busy data directory, colourless logs off a terminal, completions, man
//! pages, the version line and serial device errors.

mod cli_support;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cli_support::*;

fn readme() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    std::fs::read_to_string(path).expect("README.md")
}

/// Splits a shell command line: whitespace, and double-quoted words.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// The README's run command, as written, works (on a fresh data
/// directory), and says which server it used.
#[test]
fn the_readme_run_command_works_and_names_its_server() {
    let text = readme();
    let line = text
        .lines()
        .find(|l| l.starts_with("cargo run -p tokensign -- issue "))
        .expect("the README's run command");
    let words = shell_words(line);
    let args: Vec<&str> = words
        .iter()
        .skip_while(|w| *w != "--")
        .skip(1)
        .map(String::as_str)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut with_dir = args.clone();
    with_dir.extend(["--data-dir", data.to_str().unwrap()]);
    let out = run(&with_dir);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Accepted."), "{out:?}");
    assert!(
        out.stderr
            .contains("server: the embedded local node (data in "),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("waiting for GET http://127.0.0.1:"),
        "{out:?}"
    );
    // The README's test command and the install step are there.
    assert!(text.contains("\ncargo test --workspace\n"));
    assert!(text.contains("cargo install --path host --locked"));
    // `cargo install --path host` installs a binary called `tokensign`.
    let manifest = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
    )
    .unwrap();
    assert!(
        manifest.contains("[[bin]]\nname = \"tokensign\""),
        "{manifest}"
    );
}

/// The README's offline flow: `sign --json` into a file, then `verify` of
/// that file (the README's runnable blocks run whole in docs_runnable.rs;
/// this checks what verify says of the file and of an altered one).
#[test]
fn the_readme_sign_then_verify_flow_works() {
    let text = readme();
    let sign_line = "tokensign --json sign > signed.json";
    let verify_line = "tokensign verify signed.json";
    assert!(text.contains(sign_line) && text.contains(verify_line));
    let payload = text
        .lines()
        .find_map(|l| l.strip_prefix("echo '"))
        .and_then(|l| l.split('\'').next())
        .expect("the README's payload");
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "key.hex", SPEC_KEY);
    let signed = run_with(
        &["--json", "sign", "--private-key-file", &key],
        &[],
        Some(payload.as_bytes()),
    );
    assert_eq!(signed.code, 0, "{signed:?}");
    let file = write_file(dir.path(), "signed.json", &signed.stdout);
    let verified = run(&["verify", &file]);
    assert_eq!(verified.code, 0, "{verified:?}");
    assert!(verified.stdout.contains("Valid signature."), "{verified:?}");
    assert!(verified.stdout.contains(SPEC_ADDRESS), "{verified:?}");
    assert!(verified.stdout.contains("read from the \"request\" member"));
    let as_json = run(&["--json", "verify", &file]);
    assert_eq!(json_of(&as_json)["wrapped"], true, "{as_json:?}");

    // The wrapper's claims are checked against its request.
    let mut obj = json_of(&signed);
    obj["signer"] = "0x0000000000000000000000000000000000000001".into();
    let altered = write_file(dir.path(), "altered.json", &obj.to_string());
    let out = run(&["verify", &altered]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("\"signer\""), "{out:?}");
    assert!(out.stderr.contains("do not send it"), "{out:?}");
}

/// A server that accepts connections and never answers: the command says
/// what it waits for, and stops at --max-wait, long before its retries
/// would run out.
#[test]
fn a_silent_server_is_waited_for_visibly_and_boundedly() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let mut held = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while stop_rx.try_recv().is_err() && Instant::now() < deadline && held.len() < 50 {
            match listener.accept() {
                Ok((stream, _)) => held.push(stream),
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let out = run(&[
        "issue",
        "--url",
        &url,
        "--private-key-file",
        &key,
        "--symbol",
        "SLOW",
        "--name",
        "Slow",
        "--decimals",
        "0",
        "--master-authority",
        SPEC_ADDRESS,
        "--timeout",
        "1",
        "--max-wait",
        "3",
        "--retries",
        "10",
    ]);
    let _ = stop_tx.send(());
    let _ = holder.join();
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.contains(&format!("server: {url} (--url)")),
        "{out:?}"
    );
    let waits = out
        .stderr
        // `--scheme auto`: the server's write mode is the first read.
        .matches(&format!("waiting for GET {url}/api/status"))
        .count();
    // Eleven attempts were allowed; the total wait allows a few.
    assert!((1..11).contains(&waits), "{waits} attempts: {out:?}");
    assert!(out.stderr.contains("--max-wait"), "{out:?}");
    assert!(out.stderr.contains("up to 1 s"), "{out:?}");
}

#[test]
fn argument_errors_are_one_json_object_with_json() {
    for args in [
        vec!["--json", "issue", "--decimals", "six"],
        vec!["frobnicate", "--json"],
        vec!["--json", "node", "--listen", "nowhere"],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        let obj = json_of(&out);
        assert_eq!(obj["error"]["kind"], "bad_input", "{out:?}");
        assert_eq!(obj["error"]["exit_code"], 2, "{out:?}");
        let message = obj["error"]["message"].as_str().unwrap();
        assert!(
            !message.is_empty() && !message.contains('\u{1b}'),
            "{out:?}"
        );
        // The human text is still on stderr.
        assert!(out.stderr.contains("error:"), "{out:?}");
    }
    // Without --json, stdout stays empty.
    let out = run(&["issue", "--decimals", "six"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{out:?}");
    // After `--`, `--json` is an argument, not the flag.
    let out = run(&["verify", "--", "--json"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[test]
fn node_help_says_operators_are_optional() {
    let out = run(&["node", "--help"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains("at least one"), "{}", out.stdout);
    assert!(out.stdout.contains("optional"), "{}", out.stdout);
    assert!(out.stdout.contains("ANY valid key"), "{}", out.stdout);
}

#[test]
fn version_names_the_backends() {
    let out = run(&["--version"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("tokensign 0."), "{out:?}");
    // The binary's features are the library's: libsecp256k1 by default,
    // k256 in the `--no-default-features` build.
    let backend = if cfg!(feature = "libsecp256k1") {
        "signing backend: libsecp256k1; recovery: libsecp256k1"
    } else {
        "signing backend: k256; recovery: k256"
    };
    assert!(out.stdout.contains(backend), "{out:?}");
}

/// Kills the child process it holds when dropped.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A node holding a data directory: a second one on the same directory is
/// refused before it announces anything; the first one's logs, on a pipe,
/// carry no colour codes.
#[test]
fn a_busy_data_directory_is_refused_before_listening_and_logs_are_plain() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("node");
    let log_path = dir.path().join("first.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut first = bin();
    first
        .args([
            "node",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log));
    let mut child = first.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let guard = KillOnDrop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let line = BufReader::new(stdout).lines().map_while(Result::ok).next();
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the first node starts")
        .unwrap_or_default();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");

    let second = run(&[
        "node",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert_eq!(second.code, 2, "{second:?}");
    assert!(!second.stdout.contains("listening on"), "{second:?}");
    assert!(
        second.stderr.contains("in use by another tokensign node"),
        "{second:?}"
    );
    assert!(second.stderr.contains("--data-dir"), "{second:?}");

    drop(guard);
    let mut logs = String::new();
    std::fs::File::open(&log_path)
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("node listening"), "{logs}");
    assert!(!logs.contains('\u{1b}'), "colour codes on a pipe: {logs:?}");
}

#[test]
fn completions_name_every_command() {
    let subcommands = [
        "issue",
        "sign",
        "verify",
        "address",
        "keygen",
        "mint",
        "abc-lab",
        "pay",
        "multisig",
        "tx",
        "node",
        "dev",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        assert!(out.stdout.len() > 500, "{shell}: {out:?}");
        for sub in subcommands {
            assert!(out.stdout.contains(sub), "{shell} lacks {sub}");
        }
        // fish writes long options as `-l max-wait`.
        assert!(out.stdout.contains("max-wait"), "{shell} lacks --max-wait");
    }
    // The bash script is valid bash.
    let dir = tempfile::tempdir().unwrap();
    let script = write_file(
        dir.path(),
        "tokensign.bash",
        &run(&["completions", "bash"]).stdout,
    );
    if let Ok(status) = std::process::Command::new("bash")
        .args(["-n", &script])
        .status()
    {
        assert!(status.success(), "bash -n refused the completion script");
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn man_pages_name_every_command_and_render() {
    let out = run(&["man"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(".ie") || out.stdout.contains(".TH tokensign"),
        "{}",
        out.stdout
    );
    for sub in [
        "issue",
        "sign",
        "verify",
        "address",
        "keygen",
        "mint",
        "abc-lab",
        "pay",
        "multisig",
        "tx",
        "node",
        "dev",
        "device",
        "completions",
        "man",
    ] {
        // roff writes a hyphen as `\-`.
        let roff = sub.replace('-', "\\-");
        assert!(
            out.stdout.contains(sub) || out.stdout.contains(&roff),
            "the page lacks {sub}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let out = run(&["--json", "man", "--dir", pages.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{out:?}");
    let written = json_of(&out)["written"].as_array().unwrap().len();
    assert!(written > 31, "{out:?}");
    // Every page a page names exists, nested commands included.
    let mut named = 0;
    for entry in std::fs::read_dir(&pages).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in text.match_indices("tokensign\\-") {
            let rest = &text[i..];
            let Some(end) = rest.find("(1)") else {
                continue;
            };
            let reference = rest[..end].replace("\\-", "-");
            if reference
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
            {
                named += 1;
                assert!(
                    pages.join(format!("{reference}.1")).exists(),
                    "{reference}(1) is named but missing"
                );
            }
        }
    }
    assert!(named > 0);
    assert!(pages.join("tokensign-multisig-create.1").exists());
    assert!(pages.join("tokensign-abc-lab-mint.1").exists());
    assert!(pages.join("tokensign-dev-send.1").exists());
    let issue = std::fs::read_to_string(pages.join("tokensign-issue.1")).unwrap();
    assert!(issue.contains("master\\-authority"), "{issue}");
    // Where groff is installed, the page renders without warnings.
    if let Ok(rendered) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(pages.join("tokensign.1"))
        .output()
    {
        assert!(rendered.status.success());
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(text.contains("issue"), "{text}");
        assert!(
            rendered.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&rendered.stderr)
        );
    }
}

#[test]
fn a_missing_serial_device_is_named() {
    let out = run(&[
        "address",
        "--signer",
        "device",
        "--device",
        "/dev/ttyACM-tokensign-none",
        "--baud",
        "9600",
    ]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("no serial device at /dev/ttyACM-tokensign-none"),
        "{out:?}"
    );
    let out = run(&[
        "address",
        "--signer",
        "device",
        "--device",
        "/dev/null",
        "--baud",
        "7",
    ]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--baud"), "{out:?}");
}
