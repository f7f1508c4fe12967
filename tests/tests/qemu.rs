//! The firmware on an emulated Cortex-M4: builds `tests/firmware` twice,
//! once per signing backend (k256; libsecp256k1 without k256 linked), runs
//! both under `qemu-system-arm -M mps2-an386` with the device protocol
//! over UART0 (`-serial stdio`) and its flash in a file (semihosting).
//!
//! The wallet (`setup_flows`): a new seed generated on the device, its words
//! read off the device's own screen (the semihosting console, never the
//! UART) and checked against the address the device gives; power cycles
//! (QEMU killed and started again on the same flash file), unlock and
//! sign; refusals on the device; wipe; restore of the public test
//! mnemonic (account 0 is 0xf39F…2266); a trusted signer kept across power
//! cycles; a wrong PIN with the power cut at every flash step of its
//! counter's write; wrong PINs down to the wipe.
//!
//! Signing (`session`): restores the test mnemonic, derives its addresses and
//! public keys through each, signs the spec's token-issue vectors and
//! random transactions of every operation in both schemes (and as a
//! multisig member) through each, and checks every signature, hash and
//! displayed review page against the host's core, and every signature of
//! the libsecp256k1 build against the k256 build's. Signs the largest
//! request of every operation (in every scheme and descriptor) and takes
//! the peak stack over everything signed; signs with a token definition
//! on both (`definition_flow`). Checks each firmware's peak stack (a
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

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokensign::device::{
    default_path, DeviceClient, DeviceError, ProcessTransport, SignRequest, WalletStatus,
    TEST_MNEMONIC,
};
use tokensign_core::definition::{TokenDefinition, TokenUnit};
use tokensign_core::device::{
    encode_command, Instruction, Status, MAX_COMMAND_LEN, MAX_PIN_ATTEMPTS, P1_FIRST, P1_NEXT,
    P2_LAST, P2_MORE,
};
use tokensign_core::hd::{self, DerivationPath, Mnemonic};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::rlp::encode::to_slice;
use tokensign_core::tx::Payment;
use tokensign_core::{legacy, Address, Amount, Scheme, SigningKey, Transaction};
use tokensign_tests::strategies::ops;
use tokensign_tests::vectors::load_named;

const INS_GET_STACK: u8 = 0x10;
const INS_BENCH: u8 = 0x11;
const INS_BUTTONS: u8 = 0x12;
const INS_POWER_CUT: u8 = 0x13;
/// The PIN the signing session restores the test mnemonic under.
const PIN: &str = "1234";
/// anvil's account 0 of the public test mnemonic.
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
/// A definitions signer the device is asked to trust.
const SIGNER: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/// Budgets (docs/embedded.md). k256: peak stack of a sign request (the
/// issue's 12 KiB), and the issue path against the same build's bare sign.
const K256_MAX_STACK: u32 = 12 * 1024;
const K256_MAX_RATIO: f64 = 1.05;
/// libsecp256k1: peak stack of a sign request (6 KiB), and its issue path
/// against the k256 build's bare sign.
const LIBSECP_MAX_STACK: u32 = 6 * 1024;
const LIBSECP_MAX_RATIO: f64 = 0.30;
/// Flash of either whole firmware (tests/firmware/memory.x enforces it
/// too): 96 KiB.
const MAX_FLASH: u64 = 96 * 1024;
/// Random transactions signed through the firmware (each in every scheme
/// and descriptor it allows).
const RANDOM_TRANSACTIONS: usize = 28;
/// The firmware's request buffer (tests/firmware/src/main.rs).
const FIRMWARE_BUFFER: usize = 2048;
/// Bound on the whole device session.
const SESSION_LIMIT: Duration = Duration::from_secs(300);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The firmware's two builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    K256,
    Libsecp256k1,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::K256 => "k256",
            Backend::Libsecp256k1 => "libsecp256k1",
        }
    }

    /// The variable that names a built firmware instead.
    fn env(self) -> &'static str {
        match self {
            Backend::K256 => "TOKENSIGN_FIRMWARE",
            Backend::Libsecp256k1 => "TOKENSIGN_FIRMWARE_LIBSECP256K1",
        }
    }

    /// Cargo arguments and target directory (under tests/firmware) of the
    /// build; docs/embedded.md and .ci/run use the same.
    fn cargo_args(self) -> (&'static [&'static str], &'static str) {
        match self {
            Backend::K256 => (&[], "target"),
            Backend::Libsecp256k1 => (
                &["--no-default-features", "--features", "libsecp256k1"],
                "target/libsecp256k1",
            ),
        }
    }
}

/// Builds the firmware in its own workspace, with the outer cargo's
/// target and flag variables removed so they do not leak into it.
fn build_firmware(backend: Backend) -> PathBuf {
    if let Some(path) = std::env::var_os(backend.env()) {
        return PathBuf::from(path);
    }
    let dir = workspace_root().join("tests/firmware");
    let (args, target_dir) = backend.cargo_args();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // The firmware's .cargo/config.toml (target, linker script, C flags)
    // is found from the working directory.
    cmd.current_dir(&dir)
        .args(["build", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(args)
        .args(["--target-dir", target_dir]);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_TARGET_")
            || key.starts_with("CARGO_BUILD_")
            || key.starts_with("CARGO_PROFILE_")
            || key.starts_with("CARGO_ENCODED_")
            || key == "RUSTFLAGS"
            || key == "RUSTDOCFLAGS"
            || key == "CARGO_TARGET_DIR"
            || key == "CARGO_MAKEFLAGS"
            || key == "RUSTC_WORKSPACE_WRAPPER"
        {
            cmd.env_remove(&key);
        }
    }
    let status = cmd.status().expect("run cargo to build the firmware");
    assert!(
        status.success(),
        "{} firmware build failed: {status}",
        backend.name()
    );
    dir.join(target_dir)
        .join("thumbv7em-none-eabihf/release/tokensign-firmware")
}

/// What the ELF file says: flash (every allocated section with contents:
/// vector table, code, read-only data, the initial values of .data), and
/// whether k256 or libsecp256k1 code is linked.
struct Image {
    flash: u64,
    has_k256: bool,
    has_libsecp256k1: bool,
}

fn image(elf: &Path) -> Image {
    use object::{Object, ObjectSection, ObjectSymbol, SectionFlags, SectionKind};
    let data = std::fs::read(elf).unwrap_or_else(|e| panic!("read {}: {e}", elf.display()));
    let file = object::File::parse(&*data).expect("the firmware is an ELF file");
    let flash = file
        .sections()
        .filter(|s| {
            let alloc = matches!(s.flags(), SectionFlags::Elf { sh_flags } if sh_flags & u64::from(object::elf::SHF_ALLOC) != 0);
            alloc && !matches!(s.kind(), SectionKind::UninitializedData | SectionKind::UninitializedTls)
        })
        .map(|s| s.size())
        .sum();
    // Mangled Rust names carry the crate's name with its length.
    let names: Vec<String> = file
        .symbols()
        .filter_map(|s| s.name().ok().map(str::to_owned))
        .collect();
    Image {
        flash,
        has_k256: names
            .iter()
            .any(|n| n.contains("4k256") || n.contains("14elliptic_curve")),
        has_libsecp256k1: names.iter().any(|n| n.starts_with("rustsecp256k1_")),
    }
}

/// A firmware with its flash file and its screen's file: a device that
/// can be powered off and on.
struct Board {
    elf: PathBuf,
    flash: PathBuf,
    screen: PathBuf,
    _dir: tempfile::TempDir,
}

impl Board {
    /// A board with erased flash (the file is made at first power-on).
    fn new(elf: &Path) -> Board {
        let dir = tempfile::tempdir().expect("temporary directory");
        Board {
            elf: elf.to_path_buf(),
            flash: dir.path().join("flash.bin"),
            screen: dir.path().join("screen.txt"),
            _dir: dir,
        }
    }

    /// Powers on: QEMU with the firmware, UART0 on stdin/stdout, the flash
    /// file, and the screen (semihosting console, QEMU's stderr) in a file.
    fn power_on(&self) -> DeviceClient<ProcessTransport> {
        let line = format!(
            "exec qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none \
             -serial stdio -icount shift=0 \
             -semihosting-config enable=on,target=native,arg=tokensign-firmware,arg='{}' \
             -kernel '{}' 2>'{}'",
            self.flash.display(),
            self.elf.display(),
            self.screen.display()
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(line);
        let transport = ProcessTransport::spawn_command(cmd)
            .expect("start qemu-system-arm")
            .with_timeout(Duration::from_secs(60));
        DeviceClient::new(transport)
    }

    /// What the device's own screen showed since the last power-on.
    fn screen(&self) -> String {
        std::fs::read_to_string(&self.screen).unwrap_or_default()
    }
}

fn review_of(tx: &Transaction, scheme: Scheme, descriptor: Descriptor) -> Vec<String> {
    Review::new(tx, scheme, descriptor)
        .pages(DEFAULT_PAGE_WIDTH)
        .map(|page| page.to_string())
        .collect()
}

fn sw_of(e: &DeviceError) -> u16 {
    e.status().map_or(0, |s| s.sw)
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(data[at..at + 4].try_into().unwrap())
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(data[at..at + 8].try_into().unwrap())
}

/// The test mnemonic's key of account `index`, derived on the host.
fn account(index: u32) -> (DerivationPath, SigningKey) {
    let seed = Mnemonic::parse(TEST_MNEMONIC).unwrap().to_seed("").unwrap();
    let path = DerivationPath::ethereum(index).unwrap();
    let key = hd::derive_signing_key(seed.as_bytes(), &path).unwrap();
    (path, key)
}

/// Signs `tx` through the device in `scheme` under `descriptor` with the
/// key of `path`; the client checks the signature and the answered hash
/// against the core; this checks the displayed review and that the host's
/// key signs the same; returns the signature and the request's peak stack.
fn sign_and_check(
    client: &mut DeviceClient<ProcessTransport>,
    tx: &Transaction,
    scheme: Scheme,
    descriptor: Descriptor,
    (path, key): &(DerivationPath, SigningKey),
) -> (tokensign_core::Signature, u32) {
    let tx = match scheme {
        Scheme::Native => native::normalize(tx.clone()),
        Scheme::Legacy => tx.clone(),
    };
    client.command(INS_GET_STACK, 1, 0, &[]).expect("repaint");
    let request = SignRequest {
        tx: &tx,
        scheme,
        descriptor,
        path: *path,
    };
    let signed = client
        .sign(&request)
        .unwrap_or_else(|e| panic!("device refused {tx:?} ({scheme:?}): {e:#}"));
    let stack = client.command(INS_GET_STACK, 0, 0, &[]).expect("stack");
    assert_eq!(
        signed.review,
        review_of(&tx, scheme, descriptor),
        "review of {tx:?}"
    );
    let digest = request.signing_hash().unwrap();
    assert_eq!(signed.signature, key.sign_hash(&digest).unwrap(), "{tx:?}");
    (signed.signature, u32_at(&stack, 0))
}

/// A transaction of host capacities from one of the device's (the RLP is
/// the same).
fn widen<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Transaction {
    let value = native::payload_rlp(tx);
    let mut buf = vec![0u8; 8192];
    let n = to_slice(&value, &mut buf).unwrap();
    native::decode_payload_rlp(tx.op_type(), &buf[..n]).unwrap()
}

/// The spec's vectors that carry a transaction the device holds (its
/// capacities, its buffer): each with its scheme, descriptor and signing
/// hash.
fn spec_vectors() -> Vec<(Transaction, Scheme, Descriptor, Vec<u8>)> {
    use serde_json::Value;
    let load = |name: &str| -> Value {
        let path = workspace_root().join("tests/vectors/spec").join(name);
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
    };
    let unhex = |v: &Value| hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
    let fits = |tx: &Transaction| {
        let small = native::decode_payload_rlp::<
            { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
            { tokensign_core::device::DEVICE_METADATA_ENTRIES },
        >(tx.op_type(), &{
            let value = native::payload_rlp(tx);
            let mut buf = vec![0u8; 8192];
            let n = to_slice(&value, &mut buf).unwrap();
            buf.truncate(n);
            buf
        });
        small.is_ok() && request_len(tx) <= FIRMWARE_BUFFER
    };
    let mut out = Vec::new();
    for v in load("legacy-vectors.json")["vectors"].as_array().unwrap() {
        let op = tokensign_core::OpType::from_name(v["operation"].as_str().unwrap()).unwrap();
        let mut body = v["payload"].clone();
        if !v["memo"].is_null() {
            body["memo"] = v["memo"].clone();
        }
        let tx: Transaction =
            tokensign_core::json::parse_unsigned(op, &serde_json::to_vec(&body).unwrap()).unwrap();
        if fits(&tx) {
            out.push((
                tx,
                Scheme::Legacy,
                Descriptor::Single,
                unhex(&v["signing_hash"]),
            ));
        }
    }
    let native_file = load("native-v2-signing-vectors.json");
    for group in ["base_vectors", "supplemental_vectors"] {
        for v in native_file[group].as_array().unwrap() {
            let op =
                tokensign_core::OpType::from_number(v["operation_type"].as_u64().unwrap()).unwrap();
            let tx: Transaction =
                native::decode_payload_rlp(op, &unhex(&v["payload_rlp"])).unwrap();
            let descriptor = match v["multisig_account"].as_str() {
                Some(account) => Descriptor::Multisig(Address::parse(account).unwrap()),
                None => Descriptor::Single,
            };
            // Payloads the network refuses are vectors of the encoders only.
            if tx.check().is_ok() && fits(&tx) {
                out.push((tx, Scheme::Native, descriptor, unhex(&v["signing_hash"])));
            }
        }
    }
    assert!(out.len() >= 30, "only {} spec vectors signed", out.len());
    out
}

/// Transactions generated per operation to find its largest request.
const LARGEST_SAMPLES: usize = 48;

/// The sign request's length for `tx` (native v2, multisig member: the
/// longest header; legacy's payload is never longer).
fn request_len(tx: &Transaction) -> usize {
    SignRequest {
        tx: &native::normalize(tx.clone()),
        scheme: Scheme::Native,
        descriptor: Descriptor::Multisig(Address([0xa0; 20])),
        path: default_path(),
    }
    .encode()
    .unwrap()
    .len()
}

/// Of `LARGEST_SAMPLES` valid transactions of `op` generated at the
/// device's capacities (16 batch entries, 8 metadata entries), the one
/// with the longest sign request that fits the firmware's buffer.
fn largest(runner: &mut TestRunner, op: tokensign_core::OpType) -> Transaction {
    let strategy = ops::transaction_for::<
        { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
        { tokensign_core::device::DEVICE_METADATA_ENTRIES },
    >(op);
    (0..LARGEST_SAMPLES)
        .map(|_| widen(&strategy.new_tree(runner).unwrap().current()))
        .filter(|tx| {
            native::normalize(tx.clone()).check().is_ok()
                && (!legacy::supports(op) || tx.check().is_ok())
        })
        .map(|tx| (request_len(&tx), tx))
        .filter(|(len, _)| *len <= FIRMWARE_BUFFER)
        .max_by_key(|(len, _)| *len)
        .map(|(_, tx)| tx)
        .unwrap_or_else(|| panic!("no {op} transaction fits the device"))
}

/// BENCH 6 of a raw command APDU: its ticks, after checking it answered
/// 0x9000.
fn bench_apdu(client: &mut DeviceClient<ProcessTransport>, apdu: &[u8], what: &str) -> u64 {
    let answer = client.command(INS_BENCH, 6, 0, apdu).unwrap();
    assert_eq!(&answer[8..], &[0x90, 0x00], "benchmarked {what} failed");
    u64_at(&answer, 0)
}

/// The sign path's ticks of `request` of any size: its chunks as SIGN
/// with P2_MORE, then BENCH 6 measures the last, empty chunk (decode,
/// rules, review pages rendered, signing hash, signature, answer hash).
fn bench_sign(client: &mut DeviceClient<ProcessTransport>, request: &[u8]) -> u64 {
    let sign_ins = Instruction::Sign as u8;
    for (i, chunk) in request.chunks(255).enumerate() {
        let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
        client.command(sign_ins, p1, P2_MORE, chunk).unwrap();
    }
    bench_apdu(client, &[0xE1, sign_ins, P1_NEXT, P2_LAST, 0], "sign")
}

/// The largest request of one operation: its length, peak stack and
/// sign-path ticks (the most of its schemes and descriptors).
struct Largest {
    op: tokensign_core::OpType,
    request: usize,
    stack: u32,
    ticks: u64,
}

/// One firmware's session: the signatures it made, in order, and its
/// measurements.
struct Session {
    signatures: Vec<tokensign_core::Signature>,
    peak_stack: u32,
    stack_region: u32,
    statics: u32,
    per_tick: f64,
    bare: u64,
    issue: u64,
    /// A first derivation (GET_ADDRESS of a path not cached), in ticks.
    derivation: u64,
    /// A token definition's check and the sign after it.
    definition: DefinitionFigures,
    /// Per operation: its largest request.
    per_operation: Vec<Largest>,
}

impl Session {
    fn instructions(&self, ticks: u64) -> f64 {
        ticks as f64 * self.per_tick
    }
}

/// Derives addresses, signs every vector and random transactions of every
/// operation through the firmware, checks the refusals, and measures.
fn session(backend: Backend, firmware: &Path) -> Session {
    let begun = Instant::now();
    let board = Board::new(firmware);
    let mut client = board.power_on();
    let version = client.version().expect("version");
    assert_eq!(version.protocol, tokensign_core::device::PROTOCOL_VERSION);
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    client.setup_restore(TEST_MNEMONIC, PIN).expect("restore");

    // Addresses and public keys of several accounts, against the host's
    // derivation.
    for index in [0, 1, 2, 7] {
        let (path, key) = account(index);
        assert_eq!(
            client.address(&path, false).unwrap(),
            key.address(),
            "{backend:?}"
        );
        assert_eq!(
            client.public_key(&path).unwrap(),
            key.public_key_compressed()
        );
    }
    assert_eq!(
        client.address(&default_path(), true).unwrap(),
        account(0).1.address()
    );

    let first = account(0);
    let second = account(1);
    let mut signatures = Vec::new();
    let mut peak_stack = 0u32;
    let mut per_operation = Vec::new();
    let mut sign = |client: &mut DeviceClient<ProcessTransport>,
                    tx: &Transaction,
                    scheme: Scheme,
                    descriptor: Descriptor,
                    who: &(DerivationPath, SigningKey)| {
        let (sig, stack) = sign_and_check(client, tx, scheme, descriptor, who);
        peak_stack = peak_stack.max(stack);
        signatures.push(sig);
    };

    // The spec's token-issue vectors, in both schemes.
    for v in &load_named("spec.json").vectors {
        let tx = v.payload.to_core();
        sign(&mut client, &tx, Scheme::Legacy, Descriptor::Single, &first);
        sign(
            &mut client,
            &tx,
            Scheme::Native,
            Descriptor::Single,
            &second,
        );
    }

    // Every spec vector that carries a transaction: the legacy vectors'
    // typed fields (through the JSON parser) in v1, the native vectors'
    // payloads in v2 under their descriptor; the core's signing hash of
    // each is the vector's, and the device's answer is checked against it.
    for (tx, scheme, descriptor, signing_hash) in spec_vectors() {
        let request = SignRequest {
            tx: &tx,
            scheme,
            descriptor,
            path: first.0,
        };
        assert_eq!(
            request.signing_hash().unwrap().to_vec(),
            signing_hash,
            "{tx:?}"
        );
        sign(&mut client, &tx, scheme, descriptor, &first);
    }

    // Random transactions of every operation (deterministic seed), in
    // every scheme and descriptor they allow.
    let mut runner = TestRunner::deterministic();
    let account_address = Address([0xa0; 20]);
    for i in 0..RANDOM_TRANSACTIONS {
        let op = tokensign_core::OpType::ALL[i % tokensign_core::OpType::ALL.len()];
        let small = ops::transaction_for::<4, 4>(op)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let tx = widen(&small);
        if legacy::supports(op) && tx.check().is_ok() {
            sign(&mut client, &tx, Scheme::Legacy, Descriptor::Single, &first);
        }
        if native::normalize(tx.clone()).check().is_ok() {
            sign(
                &mut client,
                &tx,
                Scheme::Native,
                Descriptor::Single,
                &second,
            );
            sign(
                &mut client,
                &tx,
                Scheme::Native,
                Descriptor::Multisig(account_address),
                &first,
            );
        }
        assert!(begun.elapsed() < SESSION_LIMIT, "device session too slow");
    }

    // The largest request of every operation: of LARGEST_SAMPLES
    // transactions generated at the device's capacities, the one with the
    // longest RLP that fits the request buffer, in every scheme and
    // descriptor it allows. The stack budget is the peak over these and
    // everything above.
    let mut runner = TestRunner::deterministic();
    for &op in tokensign_core::OpType::ALL {
        let tx = largest(&mut runner, op);
        let mut largest_stack = 0;
        let mut largest_ticks = 0;
        for (scheme, descriptor, who) in [
            (Scheme::Legacy, Descriptor::Single, &first),
            (Scheme::Native, Descriptor::Single, &second),
            (
                Scheme::Native,
                Descriptor::Multisig(account_address),
                &first,
            ),
        ] {
            if scheme == Scheme::Legacy && !legacy::supports(op) {
                continue;
            }
            let (sig, stack) = sign_and_check(&mut client, &tx, scheme, descriptor, who);
            signatures.push(sig);
            largest_stack = largest_stack.max(stack);
            // Its sign path, with the key of the path just used (cached).
            let tx = match scheme {
                Scheme::Native => native::normalize(tx.clone()),
                Scheme::Legacy => tx.clone(),
            };
            let request = SignRequest {
                tx: &tx,
                scheme,
                descriptor,
                path: who.0,
            }
            .encode()
            .unwrap();
            if let Some(dir) = std::env::var_os("TOKENSIGN_QEMU_REQUESTS") {
                let name = format!(
                    "{op}-{}-{}.bin",
                    scheme.short_name(),
                    match descriptor {
                        Descriptor::Single => "single",
                        Descriptor::Multisig(_) => "member",
                    }
                );
                std::fs::write(Path::new(&dir).join(name), &request).unwrap();
            }
            largest_ticks = largest_ticks.max(bench_sign(&mut client, &request));
        }
        peak_stack = peak_stack.max(largest_stack);
        per_operation.push(Largest {
            op,
            request: request_len(&tx),
            stack: largest_stack,
            ticks: largest_ticks,
        });
    }

    // Refusals, each with its status word, and the device stays usable.
    let e = client.sign_raw(&[9]).unwrap_err();
    assert_eq!(sw_of(&e), Status::InvalidData.word());
    assert!(e.to_string().contains("scheme byte"), "{e}");
    let e = client
        .sign_raw(&vec![b' '; FIRMWARE_BUFFER + 1])
        .unwrap_err();
    assert_eq!(sw_of(&e), Status::TooLarge.word());
    let sign_ins = Instruction::Sign as u8;
    let e = client
        .command(sign_ins, P1_NEXT, P2_LAST, b"}")
        .unwrap_err();
    assert_eq!(sw_of(&e), Status::WrongState.word());
    client.command(sign_ins, P1_FIRST, P2_MORE, &[2]).unwrap();
    client.version().unwrap();
    let e = client
        .command(sign_ins, P1_NEXT, P2_LAST, &[1, 0])
        .unwrap_err();
    assert_eq!(sw_of(&e), Status::WrongState.word());

    // Measurements: the spec's issue vector as a one-chunk sign request.
    let stack = client.command(INS_GET_STACK, 0, 0, &[]).unwrap();
    let (stack_region, statics) = (u32_at(&stack, 4), u32_at(&stack, 8));
    let calibration = u64_at(&client.command(INS_BENCH, 2, 0, &[]).unwrap(), 0);
    let bare = u64_at(&client.command(INS_BENCH, 0, 0, &[]).unwrap(), 0);
    let vector = load_named("spec.json").vectors[0].payload.to_core();
    let request = SignRequest {
        tx: &vector,
        scheme: Scheme::Legacy,
        descriptor: Descriptor::Single,
        path: default_path(),
    }
    .encode()
    .unwrap();
    let mut apdu = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(
        Instruction::Sign as u8,
        P1_FIRST,
        P2_LAST,
        &request,
        &mut apdu,
    )
    .unwrap();
    let issue = bench_apdu(&mut client, &apdu[..n], "issue sign");
    // A first derivation: GET_ADDRESS of a path not asked before.
    let mut path = [0u8; hd::MAX_PATH_BYTES];
    let p = account(9).0.write_bytes(&mut path).unwrap();
    let n = encode_command(Instruction::GetAddress as u8, 0, 0, &path[..p], &mut apdu).unwrap();
    let derivation = bench_apdu(&mut client, &apdu[..n], "derivation");
    let definition = definition_flow(&mut client, backend);
    assert!(begun.elapsed() < SESSION_LIMIT, "device session too slow");
    Session {
        signatures,
        peak_stack,
        stack_region,
        statics,
        // 2,000,000 instructions of the calibration loop give ticks per
        // instruction (1/40 with a 25 MHz clock and -icount shift=0).
        per_tick: 2_000_000.0 / calibration as f64,
        bare,
        issue,
        derivation,
        definition,
        per_operation,
    }
}

/// What the definition flow measured.
struct DefinitionFigures {
    /// PROVIDE_DEFINITION of a trusted signer's definition not seen before
    /// (decode, the signer on the list, its signature recovered), in ticks.
    check: u64,
    /// The same definition provided again (its recovery skipped), in ticks.
    repeat: u64,
    /// Peak stack of a definition and the sign after it.
    stack: u32,
}

/// A Payment of 1.5 USDX signed with a signed token definition, on either
/// firmware (both are built with the core's `device-definitions`): refused
/// by name while the device does not trust the definition's signer; once
/// the person trusted it on the device, the device's own pages show whole
/// tokens (the host core's review with that definition, page for page)
/// and it signs; an altered definition is refused by name; a definition
/// provided twice is checked in full once. Answers the figures.
fn definition_flow(
    client: &mut DeviceClient<ProcessTransport>,
    backend: Backend,
) -> DefinitionFigures {
    let definitions_key = SigningKey::from_bytes(&[0x42; 32]).unwrap();
    let token = Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3").unwrap();
    let signed_definition = TokenDefinition {
        chain_id: 1_212_101,
        token,
        unit: TokenUnit::new("USDX", 6).unwrap(),
    }
    .sign(&definitions_key)
    .unwrap();
    let payment: Transaction = native::normalize(Transaction::new(
        1_212_101,
        11,
        Payment {
            recipient: Address([0x22; 20]),
            value: Amount::from_u64(1_500_000),
            token,
        },
    ));
    let request = SignRequest {
        tx: &payment,
        scheme: Scheme::Native,
        descriptor: Descriptor::Single,
        path: default_path(),
    };
    let e = client
        .sign_with(&request, Some(&signed_definition))
        .unwrap_err();
    assert_eq!(sw_of(&e), Status::DefinitionRefused.word(), "{e}");
    assert!(e.to_string().contains("not trusted by the device"), "{e}");
    client.trust(&definitions_key.address()).expect("trust");
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    let signed = client
        .sign_with(&request, Some(&signed_definition))
        .unwrap_or_else(|e| panic!("{backend:?}: {e:#}"));
    let stack = stack_since_paint(client);
    let trusted = signed_definition
        .verify(&[definitions_key.address()])
        .unwrap();
    let expected: Vec<String> = Review::new(&payment, Scheme::Native, Descriptor::Single)
        .with_definition(&trusted)
        .unwrap()
        .pages(DEFAULT_PAGE_WIDTH)
        .map(|p| p.to_string())
        .collect();
    assert_eq!(signed.review, expected);
    assert!(
        signed.review.iter().any(|p| p == "Amount: 1.5 USDX"),
        "{:?}",
        signed.review
    );
    let digest = request.signing_hash().unwrap();
    assert_eq!(signed.signature, account(0).1.sign_hash(&digest).unwrap());
    // Altered after signing: refused by name, never shown.
    let mut altered = signed_definition;
    altered.definition.unit = TokenUnit::new("USDC", 6).unwrap();
    let e = client.sign_with(&request, Some(&altered)).unwrap_err();
    assert_eq!(sw_of(&e), Status::DefinitionRefused.word(), "{e}");
    assert!(e.to_string().contains("signature is bad"), "{e}");

    // Another token's definition (the device last checked the USDX one):
    // checked in full, then, provided again, without its recovery.
    let other = TokenDefinition {
        chain_id: 1_212_101,
        token: Address([0x33; 20]),
        unit: TokenUnit::new("USDY", 18).unwrap(),
    }
    .sign(&definitions_key)
    .unwrap();
    let mut apdu = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(
        Instruction::ProvideDefinition as u8,
        0,
        0,
        &other.encode(),
        &mut apdu,
    )
    .unwrap();
    let check = bench_apdu(client, &apdu[..n], "definition check");
    let repeat = bench_apdu(client, &apdu[..n], "repeated definition");
    assert!(
        repeat * 20 < check,
        "a repeated definition must skip its recovery: {repeat} ticks against {check}"
    );
    DefinitionFigures {
        check,
        repeat,
        stack,
    }
}

/// What the set-up flows measured.
struct SetupFigures {
    /// Peak stack over every set-up command.
    peak_stack: u32,
    /// An UNLOCK with the right PIN (counter written, PBKDF2, seal opened,
    /// counter reset), in ticks.
    unlock: u64,
    /// SETUP_RESTORE of 12 words (mnemonic to seed, seal, write), in ticks.
    restore: u64,
    /// Flash steps of the wrong-PIN counter's write (each cut once).
    counter_steps: u32,
}

/// Sends one command APDU and returns its status word.
fn sw(client: &mut DeviceClient<ProcessTransport>, ins: Instruction, p1: u8, data: &[u8]) -> u16 {
    match client.command(ins as u8, p1, 0, data) {
        Ok(_) => 0x9000,
        Err(e) => sw_of(&e),
    }
}

/// BENCH 6: `command` handled and measured; its ticks and status word.
fn bench_command(
    client: &mut DeviceClient<ProcessTransport>,
    ins: Instruction,
    data: &[u8],
) -> (u64, u16) {
    let mut apdu = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(ins as u8, 0, 0, data, &mut apdu).unwrap();
    let answer = client.command(INS_BENCH, 6, 0, &apdu[..n]).unwrap();
    (
        u64_at(&answer, 0),
        u16::from_be_bytes([answer[8], answer[9]]),
    )
}

/// The peak stack since the last paint; then paints again.
fn stack_since_paint(client: &mut DeviceClient<ProcessTransport>) -> u32 {
    let peak = u32_at(&client.command(INS_GET_STACK, 0, 0, &[]).unwrap(), 0);
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    peak
}

/// The device's wallet, end to end, on one firmware (see the file's
/// notes).
fn setup_flows(backend: Backend, firmware: &Path) -> SetupFigures {
    let board = Board::new(firmware);
    let mut peak_stack = 0u32;
    let name = backend.name();

    // Empty: every key operation is refused by name.
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    let e = client.address(&default_path(), false).unwrap_err();
    assert_eq!(sw_of(&e), Status::NotProvisioned.word(), "{name}");
    assert_eq!(
        sw(&mut client, Instruction::Sign, P1_FIRST, &[2, 1, 0]),
        Status::NotProvisioned.word()
    );

    // Generate: the words on the device's own screen only.
    client.setup_generate(12, "2468").expect("generate");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    assert_eq!(
        client.take_display(),
        [
            "Create a new wallet of 12 words?",
            "Wrote down all 12 words, in order?"
        ],
        "{name}"
    );
    let screen = board.screen();
    let words: Vec<&str> = screen
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Word "))
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(words.len(), 12, "{name}: screen {screen:?}");
    let seed = Mnemonic::parse(&words.join(" "))
        .unwrap()
        .to_seed("")
        .unwrap();
    let generated = hd::derive_signing_key(seed.as_bytes(), &default_path()).unwrap();
    assert_eq!(
        client.address(&default_path(), false).unwrap(),
        generated.address(),
        "{name}"
    );
    drop(client);

    // Power cycle: locked; unlock (measured); sign.
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Locked);
    let e = client.address(&default_path(), false).unwrap_err();
    assert_eq!(sw_of(&e), Status::Locked.word(), "{name}");
    let (unlock, status) = bench_command(&mut client, Instruction::Unlock, b"2468");
    assert_eq!(status, 0x9000, "{name}: unlock");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    let payment = native::normalize(widen(
        &ops::transaction_for::<4, 4>(tokensign_core::OpType::Payment)
            .new_tree(&mut TestRunner::deterministic())
            .unwrap()
            .current(),
    ));
    let signed = client
        .sign(&SignRequest {
            tx: &payment,
            scheme: Scheme::Native,
            descriptor: Descriptor::Single,
            path: default_path(),
        })
        .expect("sign after unlock");
    assert_eq!(
        tokensign_core::recover_hash(
            &native::signing_hash(&payment, Descriptor::Single),
            &signed.signature
        )
        .unwrap(),
        generated.address()
    );

    // Refused on the device, then wiped.
    client.command(INS_BUTTONS, 1, 0, &[]).unwrap();
    let e = client.wipe().unwrap_err();
    assert!(e.is_denied(), "{name}: {e}");
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Unlocked);
    client.command(INS_BUTTONS, 0, 0, &[]).unwrap();
    client.wipe().expect("wipe");
    assert_eq!(
        client.take_display(),
        ["Wipe the device? Its seed is erased."]
    );
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    peak_stack = peak_stack.max(stack_since_paint(&mut client));

    // Restore the public test mnemonic (measured), trust a signer.
    let mut restore = vec![PIN.len() as u8];
    restore.extend_from_slice(PIN.as_bytes());
    restore.extend_from_slice(TEST_MNEMONIC.as_bytes());
    let (restore_ticks, status) = bench_command(&mut client, Instruction::SetupRestore, &restore);
    assert_eq!(status, 0x9000, "{name}: restore");
    client.forget_addresses();
    assert_eq!(
        client.take_display(),
        ["Warning: words typed on a computer are not secret. Restore from them anyway?"]
    );
    assert_eq!(
        client.address(&default_path(), false).unwrap().to_string(),
        ACCOUNT_0
    );
    let signer = Address::parse(SIGNER).unwrap();
    client.trust(&signer).expect("trust");
    assert_eq!(
        client.take_display(),
        [format!("Trust token definitions from {SIGNER}?")]
    );
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    drop(client);

    // A wrong PIN with the power cut at every step of the counter's write:
    // after each cut the count is the old one or one more, never less, and
    // the PIN was checked only once the count was written.
    let mut left = MAX_PIN_ATTEMPTS;
    let mut cut = 0u32;
    loop {
        let mut client = board.power_on();
        let state = client.state().unwrap();
        assert_eq!(
            state.trusted,
            [signer],
            "{name}: the trusted signer is kept"
        );
        assert!(
            state.attempts_left == left || state.attempts_left + 1 == left,
            "{name}: cut {cut}: {} attempts left after {left}",
            state.attempts_left
        );
        left = state.attempts_left;
        client
            .command(INS_POWER_CUT, 0, 0, &cut.to_be_bytes())
            .unwrap();
        match client.unlock("9999") {
            Err(e) if e.status().is_some_and(|s| s.sw == Status::WrongPin.word()) => {
                assert_eq!(
                    client.state().unwrap().attempts_left,
                    left - 1,
                    "{name}: the count was written before the check"
                );
                left -= 1;
                break;
            }
            Err(e) if e.status().is_none() => {} // the power went
            other => panic!("{name}: cut {cut}: {other:?}"),
        }
        cut += 1;
        assert!(cut < 64, "{name}: the counter's write never completes");
    }
    let counter_steps = cut;

    // Wrong PINs down to the wipe, with a power cycle between.
    while left > 1 {
        let mut client = board.power_on();
        let e = client.unlock("9999").unwrap_err();
        assert_eq!(sw_of(&e), Status::WrongPin.word(), "{name}");
        left -= 1;
        assert_eq!(client.state().unwrap().attempts_left, left);
    }
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    let e = client.unlock("9999").unwrap_err();
    assert_eq!(sw_of(&e), Status::WipedAfterWrongPins.word(), "{name}");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    let state = client.state().unwrap();
    assert_eq!(
        (state.wallet, state.trusted.len()),
        (WalletStatus::Empty, 0)
    );
    let e = client.unlock(PIN).unwrap_err();
    assert_eq!(sw_of(&e), Status::NotProvisioned.word());
    drop(client);
    let mut client = board.power_on();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    SetupFigures {
        peak_stack,
        unlock,
        restore: restore_ticks,
        counter_steps,
    }
}

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
    let (k_image, l_image) = (image(&elves[0]), image(&elves[1]));

    for ((backend, s), img) in builds.iter().zip(&sessions).zip([&k_image, &l_image]) {
        println!(
            "firmware measurements ({}): flash {} B; peak stack of a sign request {} B \
             (stack region {} B, static RAM {} B); bare sign {} ticks = {:.0} instructions; \
             sign path (issue) {} ticks = {:.0} instructions; \
             sign path / bare k256 sign {:.4}",
            backend.name(),
            img.flash,
            s.peak_stack,
            s.stack_region,
            s.statics,
            s.bare,
            s.instructions(s.bare),
            s.issue,
            s.instructions(s.issue),
            s.issue as f64 / k.bare as f64
        );
        // Instructions at one per cycle; QEMU's count is the measure, a
        // real core's wait states and pipeline are not modelled.
        let setup = &setups[if *backend == Backend::K256 { 0 } else { 1 }];
        for (what, ticks) in [
            ("first derivation", s.derivation),
            ("unlock (right PIN)", setup.unlock),
            ("restore of 12 words", setup.restore),
        ] {
            let n = s.instructions(ticks);
            println!(
                "  {what} ({}): {n:.0} instructions = {:.1} ms at 64 MHz, {:.1} ms at 168 MHz",
                backend.name(),
                n / 64e3,
                n / 168e3
            );
        }
        println!(
            "  set-up ({}): peak stack {} B; the wrong-PIN counter's write cut at each of \
             its {} flash steps",
            backend.name(),
            setup.peak_stack,
            setup.counter_steps
        );
        let d = &s.definition;
        println!(
            "  token definition ({}): PROVIDE_DEFINITION of a trusted signer's definition \
             {:.0} instructions = {:.4} x bare k256 sign, the same again {:.0} \
             instructions; peak stack of it and the Payment's sign showing 1.5 USDX {} B",
            backend.name(),
            s.instructions(d.check),
            d.check as f64 / k.bare as f64,
            s.instructions(d.repeat),
            d.stack
        );
        for l in &s.per_operation {
            println!(
                "  largest {} ({}): request {} B, peak stack {} B, sign path {:.0} instructions \
                 = {:.4} x bare k256 sign",
                l.op,
                backend.name(),
                l.request,
                l.stack,
                s.instructions(l.ticks),
                l.ticks as f64 / k.bare as f64
            );
        }
    }

    // Same key, same payloads: byte-identical signatures.
    assert_eq!(k.signatures.len(), l.signatures.len());
    for (i, (a, b)) in k.signatures.iter().zip(&l.signatures).enumerate() {
        assert_eq!(a, b, "signature {i}: k256 and libsecp256k1 firmware differ");
    }

    // What is linked.
    assert!(k_image.has_k256 && !k_image.has_libsecp256k1);
    assert!(
        l_image.has_libsecp256k1 && !l_image.has_k256,
        "the libsecp256k1 firmware must not link k256"
    );

    // Budgets, set-up included.
    for (setup, max) in setups.iter().zip([K256_MAX_STACK, LIBSECP_MAX_STACK]) {
        assert!(
            setup.peak_stack <= max,
            "set-up: peak stack {} B > {max} B",
            setup.peak_stack
        );
    }
    // A token definition's check (a recovery) and the sign after it.
    for (s, (backend, max)) in [&k, &l]
        .into_iter()
        .zip(builds.iter().zip([K256_MAX_STACK, LIBSECP_MAX_STACK]))
    {
        assert!(
            s.definition.stack <= max,
            "{}: peak stack of a definition and its sign {} B > {max} B",
            backend.name(),
            s.definition.stack
        );
    }
    assert!(
        k.peak_stack <= K256_MAX_STACK,
        "k256: peak stack {} B > {K256_MAX_STACK} B",
        k.peak_stack
    );
    let ratio = k.issue as f64 / k.bare as f64;
    assert!(
        ratio <= K256_MAX_RATIO,
        "k256: issue path / bare sign = {ratio:.4}"
    );
    // Every operation's largest request, in every scheme and descriptor:
    // its sign path against a bare k256 sign is printed above and recorded
    // in docs/embedded.md ("Instructions"). Not asserted (issue 11): the 1.05x
    // budget holds for the spec's issue vector, not yet for the largest
    // requests (1.11x..1.35x, CreateMultiSig 6x for its 20 curve checks),
    // so it is not asserted for them.
    assert!(
        l.peak_stack <= LIBSECP_MAX_STACK,
        "libsecp256k1: peak stack {} B > {LIBSECP_MAX_STACK} B",
        l.peak_stack
    );
    let ratio = l.issue as f64 / k.bare as f64;
    assert!(
        ratio <= LIBSECP_MAX_RATIO,
        "libsecp256k1: issue path / bare k256 sign = {ratio:.4}"
    );
    for (backend, img) in builds.iter().zip([&k_image, &l_image]) {
        assert!(
            img.flash <= MAX_FLASH,
            "{}: flash {} B > {MAX_FLASH} B",
            backend.name(),
            img.flash
        );
    }
}
