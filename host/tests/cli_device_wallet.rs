//! The device as a wallet through the binary, on the emulated device whose
//! state is kept in a directory (`--device emulated:DIR`): set-up by
//! restore and by generate, a new process per command (the device stays
//! unlocked, as a plugged-in one does), lock and unlock, wrong PINs down to
//! the wipe, change PIN, trust, and a refusal on the device
//! (`emulated:confirm:DIR`, answered on standard input).

mod cli_support;

use cli_support::*;
use tokensign::cmd::Failure;
use tokensign_core::hd::{self, DerivationPath, Mnemonic};

/// The public test mnemonic's account 0 at m/44'/60'/0'/0/0.
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const WORDS: &str = "test test test test test test test test test test test junk";
const SIGNER: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

struct Wallet {
    dir: tempfile::TempDir,
    spec: String,
}

impl Wallet {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let spec = format!("emulated:{}", dir.path().join("device").display());
        write_file(dir.path(), "words.txt", &format!("{WORDS}\n"));
        write_file(dir.path(), "pin", "1234\n");
        write_file(dir.path(), "bad-pin", "9999\n");
        write_file(dir.path(), "new-pin", "24680\n");
        Wallet { dir, spec }
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// `tokensign ARGS --device SPEC`.
    fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--device", &self.spec]);
        run(&all)
    }

    fn restore(&self) -> Run {
        self.run(&[
            "device",
            "setup",
            "--restore-file",
            &self.file("words.txt"),
            "--pin-file",
            &self.file("pin"),
        ])
    }
}

#[test]
fn restore_then_address_in_a_new_process() {
    let w = Wallet::new();
    let empty = w.run(&["address", "--signer", "device"]);
    assert_eq!(empty.code, Failure::BadInput.code() as i32, "{empty:?}");
    assert!(empty.stderr.contains("tokensign device setup"), "{empty:?}");

    let out = w.restore();
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.trim(), ACCOUNT_0);
    assert!(
        out.stderr
            .contains("device screen: Warning: words typed on a computer are not secret"),
        "{out:?}"
    );
    // Another process: the device is still unlocked.
    let out = w.run(&["address", "--signer", "device"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.trim(), ACCOUNT_0);
    // A second set-up is refused with what to do instead.
    let again = w.restore();
    assert_eq!(again.code, Failure::BadInput.code() as i32, "{again:?}");
    assert!(again.stderr.contains("tokensign device wipe"), "{again:?}");
}

#[test]
fn lock_unlock_and_sign_after_a_power_cycle() {
    let w = Wallet::new();
    assert_eq!(w.restore().code, 0);
    assert_eq!(w.run(&["device", "lock"]).code, 0);
    let locked = w.run(&["address", "--signer", "device"]);
    assert_eq!(locked.code, Failure::BadInput.code() as i32, "{locked:?}");
    assert!(
        locked.stderr.contains("tokensign device unlock"),
        "{locked:?}"
    );
    let status = w.run(&["--json", "device", "status"]);
    assert_eq!(json_of(&status)["state"], "locked");

    let out = w.run(&["device", "unlock", "--pin-file", &w.file("pin")]);
    assert_eq!(out.code, 0, "{out:?}");
    let payload = write_file(w.dir.path(), "p.json", &spec_payload8(2));
    let out = w.run(&[
        "--json",
        "sign",
        "--payload",
        &payload,
        "--signer",
        "device",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json_of(&out)["signer"], ACCOUNT_0);
}

#[test]
fn wrong_pins_count_down_to_the_wipe() {
    let w = Wallet::new();
    assert_eq!(w.restore().code, 0);
    assert_eq!(w.run(&["device", "lock"]).code, 0);
    for left in (1..5).rev() {
        let out = w.run(&["device", "unlock", "--pin-file", &w.file("bad-pin")]);
        assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
        let expected = if left == 1 {
            "1 attempt left before the device wipes its seed".to_owned()
        } else {
            format!("{left} attempts left before the device wipes its seed")
        };
        assert!(out.stderr.contains(&expected), "{out:?}");
    }
    let out = w.run(&["device", "unlock", "--pin-file", &w.file("bad-pin")]);
    assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
    assert!(out.stderr.contains("wiped its seed"), "{out:?}");
    assert!(out.stderr.contains("--restore-file"), "{out:?}");
    let status = json_of(&w.run(&["--json", "device", "status"]));
    assert_eq!(status["state"], "empty");
    // Nothing of the old seed: the right PIN has nothing to open.
    let out = w.run(&["device", "unlock", "--pin-file", &w.file("pin")]);
    assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
    assert!(out.stderr.contains("holds no seed"), "{out:?}");
    // And it can be set up again.
    assert_eq!(w.restore().code, 0);
}

#[test]
fn generate_shows_the_words_on_the_device_screen_only() {
    let w = Wallet::new();
    let out = w.run(&[
        "--json",
        "device",
        "setup",
        "--generate",
        "--words",
        "12",
        "--pin-file",
        &w.file("pin"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    // The emulated device's own screen (its stderr): the words.
    let words: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Word "))
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(words.len(), 12, "{out:?}");
    let seed = Mnemonic::parse(&words.join(" "))
        .unwrap()
        .to_seed("")
        .unwrap();
    let expected = hd::derive_signing_key(seed.as_bytes(), &DerivationPath::ethereum(0).unwrap())
        .unwrap()
        .address();
    let obj = json_of(&out);
    assert_eq!(obj["address"], expected.to_string());
    // The pages the host got hold no word.
    let pages = obj["device_pages"].as_array().unwrap();
    assert_eq!(pages[0], "Create a new wallet of 12 words?");
    assert_eq!(pages[1], "Wrote down all 12 words, in order?");
    // Nor does anything the host printed: no two of the words in a row
    // (one word alone may be an ordinary one, "address" or "device").
    for pair in words.windows(2) {
        assert!(!out.stdout.contains(&pair.join(" ")), "{out:?}");
        assert!(!out.stdout.contains(&pair.join("\",\"")), "{out:?}");
    }
    // The next process reads the same address back.
    let out = w.run(&["address", "--signer", "device"]);
    assert_eq!(out.stdout.trim(), expected.to_string());
}

#[test]
fn change_pin_then_only_the_new_one_unlocks() {
    let w = Wallet::new();
    assert_eq!(w.restore().code, 0);
    let out = w.run(&[
        "device",
        "change-pin",
        "--pin-file",
        &w.file("pin"),
        "--new-pin-file",
        &w.file("new-pin"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("device screen: Change the PIN?"),
        "{out:?}"
    );
    assert_eq!(w.run(&["device", "lock"]).code, 0);
    let old = w.run(&["device", "unlock", "--pin-file", &w.file("pin")]);
    assert_eq!(old.code, Failure::BadInput.code() as i32, "{old:?}");
    let new = w.run(&["device", "unlock", "--pin-file", &w.file("new-pin")]);
    assert_eq!(new.code, 0, "{new:?}");
    // A PIN of the wrong form is refused before anything is sent.
    write_file(w.dir.path(), "short", "12\n");
    let out = w.run(&["device", "unlock", "--pin-file", &w.file("short")]);
    assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
    assert!(out.stderr.contains("4 to 8 digits"), "{out:?}");
}

#[test]
fn trust_is_kept_and_a_refusal_on_the_device_has_its_own_exit_code() {
    let w = Wallet::new();
    assert_eq!(w.restore().code, 0);
    let confirm = w.spec.replace("emulated:", "emulated:confirm:");
    // The person says no on the device.
    let out = run_with(
        &["device", "trust", SIGNER, "--device", &confirm],
        &[],
        Some(b"n\n"),
    );
    assert_eq!(out.code, Failure::DeviceRefused.code() as i32, "{out:?}");
    assert!(out.stderr.contains("refused on the device"), "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("Trust token definitions from {SIGNER}?")),
        "{out:?}"
    );
    // Then yes.
    let out = run_with(
        &["--json", "device", "trust", SIGNER, "--device", &confirm],
        &[],
        Some(b"y\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        json_of(&out)["device_pages"][0],
        format!("Trust token definitions from {SIGNER}?")
    );
    let status = json_of(&w.run(&["--json", "device", "status"]));
    assert_eq!(status["trusted"][0], SIGNER);
    // A wipe refused on the device leaves it as it was.
    let out = run_with(
        &["device", "wipe", "--device", &confirm],
        &[],
        Some(b"no\n"),
    );
    assert_eq!(out.code, Failure::DeviceRefused.code() as i32, "{out:?}");
    assert_eq!(
        json_of(&w.run(&["--json", "device", "status"]))["state"],
        "unlocked"
    );
    let out = w.run(&["device", "wipe"]);
    assert_eq!(out.code, 0, "{out:?}");
    let status = json_of(&w.run(&["--json", "device", "status"]));
    assert_eq!(
        (
            status["state"].as_str(),
            status["trusted"].as_array().map(Vec::len)
        ),
        (Some("empty"), Some(0))
    );
}

#[test]
fn a_fixed_seed_device_has_nothing_to_set_up() {
    let dir = tempfile::tempdir().unwrap();
    let pin = write_file(dir.path(), "pin", "1234\n");
    let out = run(&[
        "device",
        "setup",
        "--generate",
        "--pin-file",
        &pin,
        "--device",
        "emulated",
    ]);
    assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
    assert!(out.stderr.contains("emulated:DIR"), "{out:?}");
    // --device-trust is for the emulated device only.
    let out = run(&[
        "device",
        "status",
        "--device",
        "cmd:true",
        "--device-trust",
        SIGNER,
    ]);
    assert_eq!(out.code, Failure::BadInput.code() as i32, "{out:?}");
    assert!(out.stderr.contains("tokensign device trust"), "{out:?}");
}

/// A payment signed offline on the emulated device (`--dry-run`, no server).
fn pay(device: &str, stdin: Option<&[u8]>) -> Run {
    run_with(
        &[
            "--json",
            "pay",
            "--recipient",
            SIGNER,
            "--token",
            "0x2045a425D0e131E747f8be2F044413733e412d7d",
            "--value",
            "1500000",
            "--dry-run",
            "--chain-id",
            "1212101",
            "--nonce",
            "0",
            "--scheme",
            "v2",
            "--signer",
            "device",
            "--device",
            device,
        ],
        &[],
        stdin,
    )
}

#[test]
fn a_device_signed_command_carries_the_device_pages() {
    let out = pay("emulated", None);
    assert_eq!(out.code, 0, "{out:?}");
    let obj = json_of(&out);
    let pages: Vec<&str> = obj["device_pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(pages[0], "Operation: Payment");
    assert!(pages.contains(&"Amount: 1500000"), "{pages:?}");
    // Printed apart from the host's review, labelled as the device's.
    assert!(
        out.stderr.contains("device screen: Amount: 1500000"),
        "{out:?}"
    );
    // A key held here has no device pages.
    let dir = tempfile::tempdir().unwrap();
    let key = write_file(
        dir.path(),
        "k.hex",
        "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3",
    );
    let mut args = vec![
        "--json",
        "pay",
        "--recipient",
        SIGNER,
        "--token",
        "0x2045a425D0e131E747f8be2F044413733e412d7d",
        "--value",
        "1",
        "--dry-run",
        "--chain-id",
        "1212101",
        "--nonce",
        "0",
        "--scheme",
        "v2",
    ];
    args.extend(["--private-key-file", &key]);
    let out = run(&args);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(json_of(&out).get("device_pages").is_none());
}

#[test]
fn a_signature_refused_on_the_device_exits_with_its_own_code() {
    // The person approves the first two pages, then refuses.
    let out = pay("emulated:confirm", Some(b"y\ny\nn\n"));
    assert_eq!(out.code, Failure::DeviceRefused.code() as i32, "{out:?}");
    assert!(out.stderr.contains("refused on the device"), "{out:?}");
    assert!(
        out.stderr
            .contains("device screen, page 3/12: Recipient (2/3)"),
        "{out:?}"
    );
    assert!(
        json_of(&out)["error"]["kind"] == "refused_on_device",
        "{out:?}"
    );
    // Approving every page signs.
    let out = pay("emulated:confirm", Some("y\n".repeat(12).as_bytes()));
    assert_eq!(out.code, 0, "{out:?}");
}
