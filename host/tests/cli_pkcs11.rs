//! The PKCS#11 signer against SoftHSM2, through the binary: key creation
//! in a token, every operation signed in both schemes (low S, recovering
//! to the token key's address), the module's refusals in words (wrong PIN,
//! token not found, key not found, unsupported curve), a multisig of one
//! HSM member and one device member, and a payment from the HSM key
//! accepted by `tokensign node`.
//!
//! Each test makes a throwaway token directory (`SOFTHSM2_CONF` per run).
//! Where SoftHSM2 is not installed the tests skip with a loud message,
//! unless `TOKENSIGN_REQUIRE_SOFTHSM` is set (CI sets it), which makes the
//! skip a failure.

mod cli_support;

use std::path::{Path, PathBuf};

use cli_support::node::start_node;
use cli_support::ops::{ops, R, T};
use cli_support::*;
use tokensign_core::json::{parse_legacy, parse_native};
use tokensign_core::tx::token_address;
use tokensign_core::Address;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "tokensign-test";
const PIN: &str = "123456";

/// A throwaway SoftHSM2 token: its config, the PIN file, the env.
struct Hsm {
    _dir: tempfile::TempDir,
    conf: String,
    pin: String,
    path: PathBuf,
}

impl Hsm {
    /// A fresh initialised token, or `None` (after a loud message) where
    /// SoftHSM2 is missing and CI does not require it.
    fn new() -> Option<Self> {
        let util = std::process::Command::new("softhsm2-util")
            .arg("--version")
            .output();
        if util.is_err() || !Path::new(MODULE).exists() {
            assert!(
                std::env::var_os("TOKENSIGN_REQUIRE_SOFTHSM").is_none(),
                "TOKENSIGN_REQUIRE_SOFTHSM is set but SoftHSM2 (softhsm2-util, {MODULE}) is \
                 missing"
            );
            eprintln!(
                "\n*** SKIPPED: SoftHSM2 is not installed (apt-get install softhsm2); the \
                 PKCS#11 tests did not run ***\n"
            );
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let tokens = dir.path().join("tokens");
        std::fs::create_dir(&tokens).unwrap();
        let conf = write_file(
            dir.path(),
            "softhsm2.conf",
            &format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        );
        let init = std::process::Command::new("softhsm2-util")
            .args(["--init-token", "--free", "--label", TOKEN])
            .args(["--pin", PIN, "--so-pin", "65432100"])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .unwrap();
        assert!(init.status.success(), "{init:?}");
        let pin = write_file(dir.path(), "pin", &format!("{PIN}\n"));
        Some(Hsm {
            path: dir.path().to_path_buf(),
            _dir: dir,
            conf,
            pin,
        })
    }

    /// Runs the binary with the token's flags for key `label` and `args`.
    fn run(&self, label: &str, args: &[&str]) -> Run {
        let mut all = vec![
            "--pkcs11-module",
            MODULE,
            "--pkcs11-token",
            TOKEN,
            "--pkcs11-key",
            label,
            "--pin-file",
            &self.pin,
        ];
        all.extend_from_slice(args);
        run_with(&all, &[("SOFTHSM2_CONF", &self.conf)], None)
    }

    /// Creates key `label`; its address.
    fn keygen(&self, label: &str) -> String {
        let made = self.run(label, &["--json", "keygen", "--pkcs11"]);
        assert_eq!(made.code, 0, "{made:?}");
        json_of(&made)["address"].as_str().unwrap().to_owned()
    }
}

#[test]
fn a_key_made_in_the_token_signs_every_operation_in_both_schemes() {
    let Some(hsm) = Hsm::new() else { return };
    let address = hsm.keygen("ops");
    // `address` finds the same key, and names it.
    let shown = hsm.run("ops", &["--json", "address"]);
    assert_eq!(shown.code, 0, "{shown:?}");
    let shown = json_of(&shown);
    assert_eq!(shown["address"], address.as_str());
    assert!(
        shown["signer"].as_str().unwrap().contains("PKCS#11"),
        "{shown}"
    );
    assert!(shown["public_key"].as_str().unwrap().starts_with("0x0"));
    // The label is taken now.
    let again = hsm.run("ops", &["keygen", "--pkcs11"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("already holds a key"), "{again:?}");

    let expected = Address::parse(&address).unwrap();
    let mut signed = 0;
    for op in ops() {
        for scheme in ["v1", "v2"] {
            if scheme == "v1" && op.op.v1_path().is_none() {
                continue;
            }
            let mut args = vec!["--json"];
            args.extend(op.args.iter().map(String::as_str));
            // Offline: everything given, nothing sent. (`mint --amount`
            // needs decimals: given here.)
            args.extend([
                "--dry-run",
                "--scheme",
                scheme,
                "--chain-id",
                "1212101",
                "--nonce",
                "4",
            ]);
            if op.args.iter().any(|a| a == "--amount") {
                args.extend(["--token-decimals", "6"]);
            }
            let run = hsm.run("ops", &args);
            assert_eq!(run.code, 0, "{:?} {scheme}: {run:?}", op.op);
            let obj = json_of(&run);
            let (body, _) = tokensign::input::request_body(run.stdout.trim().as_bytes());
            // The core's parsers refuse a high-S signature; the signer is
            // the token key's address.
            let sender = if scheme == "v1" {
                parse_legacy::<256, 32>(op.op, &body)
                    .unwrap()
                    .signer()
                    .unwrap()
            } else {
                parse_native::<256, 32>(op.op, &body)
                    .unwrap()
                    .sender()
                    .unwrap()
            };
            assert_eq!(sender, expected, "{:?} {scheme}", op.op);
            assert_eq!(obj["signer"], address.as_str());
            signed += 1;
        }
    }
    assert!(signed >= 28, "{signed}");
}

/// A definitions key in the token signs token definitions that check.
#[test]
fn a_key_in_the_token_signs_token_definitions() {
    let Some(hsm) = Hsm::new() else { return };
    let address = hsm.keygen("definitions");
    let file = hsm.path.join("usdx.json");
    let file = file.to_str().unwrap();
    let signed = hsm.run(
        "definitions",
        &[
            "definition",
            "sign",
            "--chain-id",
            "1212101",
            "--token",
            T,
            "--symbol",
            "USDX",
            "--decimals",
            "6",
            "--out",
            file,
        ],
    );
    assert_eq!(signed.code, 0, "{signed:?}");
    let checked = run(&[
        "--json",
        "definition",
        "verify",
        file,
        "--trust-definitions",
        &address,
    ]);
    assert_eq!(checked.code, 0, "{checked:?}");
    assert_eq!(json_of(&checked)["signer"], address.as_str());
}

#[test]
fn the_module_refusals_are_said_in_words() {
    let Some(hsm) = Hsm::new() else { return };
    hsm.keygen("k");
    let wrong_pin = write_file(&hsm.path, "wrong", "000000");
    let run = run_with(
        &[
            "address",
            "--pkcs11-module",
            MODULE,
            "--pkcs11-token",
            TOKEN,
            "--pkcs11-key",
            "k",
            "--pin-file",
            &wrong_pin,
        ],
        &[("SOFTHSM2_CONF", &hsm.conf)],
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("wrong PIN"), "{run:?}");
    assert!(!run.all().contains("000000"), "{run:?}");

    let run = run_with(
        &[
            "address",
            "--pkcs11-module",
            MODULE,
            "--pkcs11-token",
            "nope",
            "--pkcs11-key",
            "k",
            "--pin-file",
            &hsm.pin,
        ],
        &[("SOFTHSM2_CONF", &hsm.conf)],
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("token not found"), "{run:?}");
    assert!(run.stderr.contains(TOKEN), "{run:?}");

    let run = hsm.run("missing", &["address"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("key not found"), "{run:?}");

    let run = run_with(
        &[
            "address",
            "--pkcs11-module",
            "/nonexistent/module.so",
            "--pkcs11-token",
            TOKEN,
            "--pkcs11-key",
            "k",
            "--pin-file",
            &hsm.pin,
        ],
        &[],
        None,
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("cannot load the module"), "{run:?}");

    // A P-256 key under the label: not a key tokensign signs with.
    p256_key(&hsm, "p256");
    let run = hsm.run("p256", &["address"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("unsupported curve"), "{run:?}");

    // Two sources: the PKCS#11 flags and a key file.
    let key = write_file(&hsm.path, "key", SPEC_KEY);
    let run = hsm.run("k", &["address", "--private-key-file", &key]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--pkcs11-module"), "{run:?}");
    assert!(run.stderr.contains("--private-key-file"), "{run:?}");
}

/// Creates a P-256 key pair labelled `label` in the token, through the
/// module directly.
fn p256_key(hsm: &Hsm, label: &str) {
    use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
    use cryptoki::mechanism::Mechanism;
    use cryptoki::object::Attribute;
    use cryptoki::session::UserType;
    use cryptoki::types::AuthPin;
    // A child process, so this one's SoftHSM2 sees the test's config.
    if std::env::var_os("TOKENSIGN_P256_CHILD").is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "p256_child", "--nocapture"])
            .env("TOKENSIGN_P256_CHILD", label)
            .env("SOFTHSM2_CONF", &hsm.conf)
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let context = Pkcs11::new(MODULE).unwrap();
    context
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let slot = context
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|s| context.get_token_info(*s).unwrap().label().trim_end() == TOKEN)
        .unwrap();
    let session = context.open_rw_session(slot).unwrap();
    session
        .login(UserType::User, Some(&AuthPin::from(PIN.to_owned())))
        .unwrap();
    // prime256v1, 1.2.840.10045.3.1.7
    let p256 = vec![0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let label = Attribute::Label(label.as_bytes().to_vec());
    session
        .generate_key_pair(
            &Mechanism::EccKeyPairGen,
            &[
                Attribute::Token(true),
                Attribute::EcParams(p256),
                label.clone(),
            ],
            &[
                Attribute::Token(true),
                Attribute::Private(true),
                Attribute::Sign(true),
                label,
            ],
        )
        .unwrap();
}

/// The child half of [`p256_key`] (does nothing in a normal run).
#[test]
fn p256_child() {
    let Some(label) = std::env::var_os("TOKENSIGN_P256_CHILD") else {
        return;
    };
    let conf = std::env::var("SOFTHSM2_CONF").unwrap();
    let dir = Path::new(&conf).parent().unwrap().to_path_buf();
    let hsm = Hsm {
        _dir: tempfile::tempdir().unwrap(),
        conf,
        pin: String::new(),
        path: dir,
    };
    p256_key(&hsm, label.to_str().unwrap());
}

#[test]
fn a_multisig_of_an_hsm_member_and_a_device_member() {
    let Some(hsm) = Hsm::new() else { return };
    hsm.keygen("member");
    let hsm_key = json_of(&hsm.run("member", &["--json", "address"]))["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let device = run(&[
        "--json", "address", "--signer", "device", "--device", "emulated",
    ]);
    let device_key = json_of(&device)["public_key"].as_str().unwrap().to_owned();
    let account = run(&[
        "multisig",
        "address",
        "--member",
        &hsm_key,
        "--member",
        &device_key,
        "--threshold",
        "2",
    ]);
    let account = account.stdout.trim().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let part = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (a, b) = (part("hsm.json"), part("device.json"));
    let common = [
        "pay",
        "--to",
        R,
        "--token",
        T,
        "--value",
        "5",
        "--multisig",
        &account,
        "--chain-id",
        "1212101",
        "--nonce",
        "0",
    ];
    let mut args = common.to_vec();
    args.extend(["--out", &a]);
    let made = hsm.run("member", &args);
    assert_eq!(made.code, 0, "{made:?}");
    let mut args = common.to_vec();
    args.extend(["--out", &b, "--signer", "device", "--device", "emulated"]);
    let made = run(&args);
    assert_eq!(made.code, 0, "{made:?}");
    let combined = run(&["--json", "multisig", "combine", &a, &b, "--dry-run"]);
    assert_eq!(combined.code, 0, "{combined:?}");
    let verified = run_with(
        &["--json", "verify", "-"],
        &[],
        Some(combined.stdout.as_bytes()),
    );
    assert_eq!(verified.code, 0, "{verified:?}");
    let verified = json_of(&verified);
    assert_eq!(verified["signer"], account.as_str());
    assert_eq!(verified["multisig_members"], 2);
}

#[test]
fn a_payment_signed_in_the_token_is_accepted_by_the_node() {
    let Some(hsm) = Hsm::new() else { return };
    let address = hsm.keygen("payer");
    let dir = tempfile::tempdir().unwrap();
    let (_node, url) = start_node(dir.path().join("node").to_str().unwrap(), &[]);
    let words = write_file(
        dir.path(),
        "words",
        "test test test test test test test test test test test junk",
    );
    let master = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").unwrap();
    let token = token_address(&master, "DEVUSD").to_string();
    // A developer account funds the HSM key.
    let funded = run(&[
        "pay",
        "--to",
        &address,
        "--token",
        &token,
        "--value",
        "1000",
        "--url",
        &url,
        "--mnemonic-file",
        &words,
    ]);
    assert_eq!(funded.code, 0, "{funded:?}");
    // The HSM key pays, in the scheme the node asks for.
    let paid = hsm.run(
        "payer",
        &[
            "pay", "--to", R, "--token", &token, "--value", "400", "--url", &url,
        ],
    );
    assert_eq!(paid.code, 0, "{paid:?}");
    assert!(paid.stdout.contains("Accepted."), "{paid:?}");
    let balance = run(&[
        "--json",
        "balance",
        "--token",
        &token,
        "--address",
        &address,
        "--url",
        &url,
    ]);
    assert_eq!(json_of(&balance)["balance"], "600");
}
