//! What a new user meets, said so they can act on it: no secret as an
//! argument, no credential of a URL on the screen, the variable that gave
//! a conflicting key or the URL, a missing amount, a missing file, a typo
//! in an operation, a number where an amount string goes, a bad memo
//! character, a refused connection, a stale nonce, a silent server.

mod cli_support;

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use cli_support::ops::{R, T};
use cli_support::scripted::{scripted, Answer, Settings};
use cli_support::*;

const WORDS: &str = "test test test test test test test test test test test junk";

#[test]
fn no_command_takes_a_secret_as_an_argument() {
    for (args, safe) in [
        (
            vec!["node", "--mnemonic", WORDS],
            "--accounts-mnemonic-file FILE",
        ),
        (
            vec!["pay", "--private-key", SPEC_KEY, "--to", R],
            "--private-key-file FILE",
        ),
        (
            vec!["keygen", "--out", "k", "--password=hunter2"],
            "--password-file FILE",
        ),
        (vec!["address", "--pin", "123456"], "--pin-file FILE"),
        (
            vec!["--json", "address", "--mnemonic-passphrase", "x"],
            "--mnemonic-passphrase-file",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(safe), "{args:?}: {out:?}");
        assert!(out.stderr.contains("/proc/PID/cmdline"), "{out:?}");
        for secret in [SPEC_KEY, "hunter2", "123456", "junk"] {
            assert!(
                !out.all().contains(secret),
                "{args:?} shows a secret: {out:?}"
            );
        }
    }
    // The node takes its mnemonic from a file (and never prints it).
    let dir = tempfile::tempdir().unwrap();
    let words = write_file(dir.path(), "w", &WORDS.replace(' ', "\n"));
    let data = dir.path().join("d");
    let mut child = bin()
        .args([
            "node",
            "--listen",
            "127.0.0.1:0",
            "--accounts",
            "2",
            "--test-token",
            "none",
        ])
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--accounts-mnemonic-file",
            &words,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut text = String::new();
    let mut buf = [0u8; 4096];
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !text.contains("keys not printed") && std::time::Instant::now() < deadline {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        text.contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        "{text}"
    );
    assert!(text.contains("keys not printed"), "{text}");
    assert!(!text.contains("junk"), "{text}");
}

#[test]
fn url_credentials_are_never_shown() {
    let out = run(&[
        "status",
        "--url",
        "http://alice:s3cret@127.0.0.1:9",
        "--retries",
        "0",
    ]);
    assert_eq!(out.code, 4, "{out:?}");
    assert!(!out.all().contains("s3cret"), "{out:?}");
    assert!(!out.all().contains("alice"), "{out:?}");
    assert!(
        out.stderr.contains("server: http://***@127.0.0.1:9"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("waiting for GET http://***@127.0.0.1:9/api/status"),
        "{out:?}"
    );
    // Nothing listens there: the user is told how to start a node.
    assert!(out.stderr.contains("is the node running?"), "{out:?}");
    assert!(out.stderr.contains("tokensign node"), "{out:?}");
    // A bad URL with credentials, too.
    let out = run(&["status", "--url", "ftp://alice:s3cret@host"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!out.all().contains("s3cret"), "{out:?}");
}

#[test]
fn values_from_the_environment_are_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let words = write_file(dir.path(), "w", WORDS);
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let out = run_with(
        &["address", "--private-key-file", &key],
        &[("TOKENSIGN_MNEMONIC_FILE", &words)],
        None,
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("$TOKENSIGN_MNEMONIC_FILE"), "{out:?}");
    assert!(out.stderr.contains("--private-key-file"), "{out:?}");
    let out = run_with(
        &["status", "--retries", "0"],
        &[("TOKENSIGN_URL", "http://127.0.0.1:9")],
        None,
    );
    assert!(out.stderr.contains("($TOKENSIGN_URL)"), "{out:?}");
    let out = run(&["status", "--retries", "0", "--url", "http://127.0.0.1:9"]);
    assert!(out.stderr.contains("(--url)"), "{out:?}");
}

#[test]
fn input_mistakes_say_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    // A missing amount: one of two flags, not both.
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--url",
            "http://127.0.0.1:9",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("give one of --value"), "{out:?}");
    assert!(out.stderr.contains("--amount"), "{out:?}");
    // A missing file.
    let out = call(&["verify", "/nonexistent/signed.json"], b"");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no such file"), "{out:?}");
    assert!(!out.stderr.contains("entity not found"), "{out:?}");
    // A typo in an operation's name.
    let doc = format!(
        r#"{{"operation":"Paymnet","chain_id":1,"nonce":0,"recipient":"{R}","value":"1","token":"{T}"}}"#
    );
    let out = call(&["sign", "--private-key-file", &key], doc.as_bytes());
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("did you mean \"Payment\""), "{out:?}");
    // A number where an amount's decimal string goes.
    let doc = doc.replace("Paymnet", "Payment").replace("\"1\"", "1");
    let out = call(&["sign", "--private-key-file", &key], doc.as_bytes());
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("decimal string"), "{out:?}");
    // A memo type's bad character, named.
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "1",
            "--memo-type",
            "pay roll",
            "--url",
            "http://127.0.0.1:9",
        ],
        b"",
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("invalid --memo-type"), "{out:?}");
    assert!(out.stderr.contains("character 4 is ' '"), "{out:?}");
}

#[test]
fn a_stale_nonce_points_at_tokensign_nonce() {
    let server = scripted(
        Settings::default(),
        vec![(
            "/v2/transactions/payment",
            vec![Answer::Status(422, "NONCE_MISMATCH")],
        )],
    );
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(dir.path(), "k", SPEC_KEY);
    let out = call(
        &[
            "pay",
            "--to",
            R,
            "--token",
            T,
            "--value",
            "1",
            "--url",
            &server.url,
            "--private-key-file",
            &key,
        ],
        b"",
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("tokensign nonce"), "{out:?}");
}

#[test]
fn a_silent_server_is_not_a_silent_command() {
    // Accepts, reads, never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let holder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        std::thread::sleep(Duration::from_secs(8));
    });
    let out = run(&["status", "--url", &url, "--retries", "0", "--timeout", "7"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "still waiting for GET {url}/api/status (5 s of up to 7 s)"
        )),
        "{out:?}"
    );
    holder.join().unwrap();
}
