//! The firmware on an emulated Cortex-M4: builds `tests/firmware` twice,
//! once per signing backend (k256; libsecp256k1 without k256 linked), runs
//! both under `qemu-system-arm -M mps2-an386` with the device protocol
//! over UART0 (`-serial stdio`) and its flash in a file (semihosting).
//!
//! The wallet (`setup`): a new seed generated on the device, its words
//! read off the device's own screen (the semihosting console, never the
//! UART) and checked against the address the device gives; power cycles
//! (QEMU killed and started again on the same flash file), unlock and
//! sign; refusals on the device; wipe; restore of the public test
//! mnemonic (account 0 is 0xf39F…2266); a trusted signer kept across power
//! cycles; a wrong PIN with the power cut at every flash step of its
//! counter's write; wrong PINs down to the wipe; then a restore over an
//! older record, a trusted signer added, a PIN change and a wipe, each
//! with the power cut at every flash step in turn.
//!
//! Signing (`session`): restores the test mnemonic, derives its addresses and
//! public keys through each, signs the spec's token-issue vectors and
//! random transactions of every operation in both schemes (and as a
//! multisig member) through each, and checks every signature, hash and
//! displayed review page against the host's core, and every signature of
//! the libsecp256k1 build against the k256 build's. Signs the largest
//! request of every operation (in every scheme and descriptor) and takes
//! the peak stack over everything signed; signs with a token definition
//! on both (`definitions`). Checks each firmware's peak stack (a
//! definition's check included), the instructions of the issue signature path against a bare k256
//! sign, and the flash (ELF sections) against the budgets of
//! docs/embedded.md, and prints the measurements (with a first
//! derivation's and a mnemonic-to-seed's cost, and every operation's
//! largest sign path).
//!
//! Skipped, with a loud message, only where `qemu-system-arm` or the C
//! cross compiler `arm-none-eabi-gcc` is not installed, unless
//! `TOKENSIGN_REQUIRE_QEMU=1`, which makes that a failure. `TOKENSIGN_FIRMWARE=path/to/elf` (k256) and
//! `TOKENSIGN_FIRMWARE_LIBSECP256K1=path/to/elf` use built firmwares
//! instead of building them.
//!
//! A module per concern: building the firmware and reading its ELF file
//! (`firmware`), a board under QEMU (`board`), the protocol as the tests
//! speak it (`client`), the test wallet's PIN and keys (`wallet`), what
//! gets signed (`transactions`), the signing session (`session`), the
//! token definitions flow (`definitions`), the set-up flows (`setup`), and
//! the measurements and their budgets (`budgets`).

mod board;
mod budgets;
mod client;
mod definitions;
mod firmware;
mod session;
mod setup;
mod transactions;
mod wallet;

use std::path::PathBuf;

use firmware::{build_firmware, image, installed, Backend};
use session::{session, Session};
use setup::{setup_flows, SetupFigures};

#[test]
fn firmware_signs_through_qemu() {
    // QEMU runs the firmware; the C cross compiler builds libsecp256k1
    // for the second build.
    let missing: Vec<&str> = ["qemu-system-arm", "arm-none-eabi-gcc"]
        .into_iter()
        .filter(|p| !installed(p))
        .collect();
    if !missing.is_empty() {
        let required = std::env::var("TOKENSIGN_REQUIRE_QEMU").is_ok_and(|v| v == "1");
        let message = format!(
            "{} not installed: the firmware test is SKIPPED. Install them with \
             `apt-get install -y qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi`.",
            missing.join(" and ")
        );
        assert!(!required, "{message} (TOKENSIGN_REQUIRE_QEMU=1)");
        eprintln!("\n{}\n!!! {message}\n{}\n", "!".repeat(78), "!".repeat(78));
        return;
    }
    let builds = [Backend::K256, Backend::Libsecp256k1];
    let elves: Vec<PathBuf> = builds.iter().map(|b| build_firmware(*b)).collect();
    // Every session at once: QEMU's instruction counting does not depend
    // on the host's load.
    let (sessions, setups): (Vec<Session>, Vec<SetupFigures>) = std::thread::scope(|scope| {
        let signing: Vec<_> = builds
            .iter()
            .zip(&elves)
            .map(|(b, elf)| scope.spawn(move || session(*b, elf)))
            .collect();
        let setting_up: Vec<_> = builds
            .iter()
            .zip(&elves)
            .map(|(b, elf)| scope.spawn(move || setup_flows(*b, elf)))
            .collect();
        (
            signing
                .into_iter()
                .map(|h| h.join().expect("firmware session"))
                .collect(),
            setting_up
                .into_iter()
                .map(|h| h.join().expect("firmware set-up flows"))
                .collect(),
        )
    });
    let (k, l) = (&sessions[0], &sessions[1]);
    let images = [image(&elves[0]), image(&elves[1])];
    budgets::print_measurements(&builds, &sessions, &setups, &images);

    // Same key, same payloads: byte-identical signatures.
    assert_eq!(k.signatures.len(), l.signatures.len());
    for (i, (a, b)) in k.signatures.iter().zip(&l.signatures).enumerate() {
        assert_eq!(a, b, "signature {i}: k256 and libsecp256k1 firmware differ");
    }

    // What is linked.
    assert!(images[0].has_k256 && !images[0].has_libsecp256k1);
    assert!(
        images[1].has_libsecp256k1 && !images[1].has_k256,
        "the libsecp256k1 firmware must not link k256"
    );

    budgets::assert_budgets(&builds, &sessions, &setups, &images);
}
