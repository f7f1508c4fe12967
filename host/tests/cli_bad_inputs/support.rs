//! The table's row, the files its command lines name, the helpers that
//! write those lines, and the check every row gets: its exit code, its
//! words, and no key or password in anything printed.

use crate::cli_support::*;

pub const MASTER: &str = SPEC_ADDRESS;
pub const PASSWORD: &str = "hunter2-very-secret-pw";

/// One bad command line: what it runs and what it must answer.
pub struct Case {
    pub name: &'static str,
    pub args: Vec<String>,
    pub env: Vec<(&'static str, String)>,
    pub stdin: Option<String>,
    pub code: i32,
    pub needles: &'static [&'static str],
}

/// The files the bad command lines name, in a fresh directory.
pub struct Fixtures {
    pub dir: tempfile::TempDir,
    pub key_file: String,
    pub dev_key_file: String,
    pub bad_key_file: String,
    pub short_key_file: String,
    pub zero_key_file: String,
    pub missing: String,
    pub pw_file: String,
    pub wrong_pw: String,
    pub keystore: String,
    pub not_keystore: String,
    pub malformed: String,
    pub unknown_field: String,
    pub too_big: String,
    pub data: String,
    /// A port nothing listens on: these cases must fail before any network.
    pub url: String,
}

impl Fixtures {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let key_file = write_file(d, "key", &format!("  0x{SPEC_KEY}\n"));
        let dev_key_file = write_file(d, "devkey", tokensign::signer::DEV_PRIVATE_KEY_HEX);
        let bad_key_file = write_file(d, "badkey", &format!("{}zz", &SPEC_KEY[..62]));
        let short_key_file = write_file(d, "shortkey", &SPEC_KEY[..40]);
        let zero_key_file = write_file(d, "zerokey", &"0".repeat(64));
        let missing = d.join("missing").to_str().unwrap().to_owned();
        let pw_file = write_file(d, "pw", PASSWORD);
        let wrong_pw = write_file(d, "wrongpw", "not-the-password");
        let keystore = d.join("ks.json").to_str().unwrap().to_owned();
        let made = run(&[
            "keygen",
            "--light-kdf",
            "--out",
            &keystore,
            "--password-file",
            &pw_file,
        ]);
        assert_eq!(made.code, 0, "{made:?}");
        let not_keystore = write_file(d, "notks.json", "{\"crypto\": 5}");
        let malformed = write_file(d, "bad.json", "{\"chain_id\": 1, \"nonce\": ");
        let unknown_field = write_file(
            d,
            "unknown.json",
            &spec_payload7(2).replace("{", "{\"extra\":1,"),
        );
        let too_big = write_file(
            d,
            "big.json",
            &" ".repeat(tokensign_core::json::MAX_JSON_INPUT_LEN + 1),
        );
        let data = d.join("data").to_str().unwrap().to_owned();
        Fixtures {
            dir,
            key_file,
            dev_key_file,
            bad_key_file,
            short_key_file,
            zero_key_file,
            missing,
            pw_file,
            wrong_pw,
            keystore,
            not_keystore,
            malformed,
            unknown_field,
            too_big,
            data,
            url: "http://127.0.0.1:9".to_owned(),
        }
    }

    /// `issue` of a valid token into the fixtures' data directory, then
    /// `extra`.
    pub fn issue(&self, extra: &[&str]) -> Vec<String> {
        let mut v = s(&[
            "issue",
            "--symbol",
            "USDX",
            "--name",
            "X Dollar",
            "--decimals",
            "6",
            "--master-authority",
            MASTER,
            "--data-dir",
            &self.data,
        ]);
        v.extend(s(extra));
        v
    }
}

pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// `args` with the value after the flag `from` replaced by `to`.
pub fn with(args: Vec<String>, from: &str, to: &str) -> Vec<String> {
    let mut args = args;
    if let Some(i) = args.iter().position(|a| a == from) {
        args[i + 1] = to.to_owned();
    }
    args
}

/// The spec key in the environment.
pub fn key_env() -> Vec<(&'static str, String)> {
    vec![("TOKENSIGN_PRIVATE_KEY", SPEC_KEY.to_owned())]
}

/// Runs every case: its exit code, each of its words in what it printed,
/// no secret in any form and no panic.
pub fn check(cases: &[Case]) {
    for case in cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = case.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = run_with(&args, &env, case.stdin.as_deref().map(str::as_bytes));
        assert_eq!(out.code, case.code, "{}: {out:?}", case.name);
        let all = out.all();
        for needle in case.needles {
            assert!(
                all.contains(needle),
                "{}: {needle:?} not in {out:?}",
                case.name
            );
        }
        // Secrets never appear, in any case, in any form.
        for secret in [
            SPEC_KEY,
            &SPEC_KEY.to_uppercase(),
            &SPEC_KEY[..32],
            &SPEC_KEY[32..],
            PASSWORD,
        ] {
            assert!(
                !all.contains(secret),
                "{}: secret in output: {out:?}",
                case.name
            );
        }
        assert!(!all.contains("panicked"), "{}: {out:?}", case.name);
    }
}
