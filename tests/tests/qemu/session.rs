//! The signing session on one firmware: addresses and public keys, the
//! spec's vectors, random transactions and every operation's largest
//! request in every scheme and descriptor, refusals, and the measurements.

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokensign::device::{
    default_path, DeviceClient, ProcessTransport, SignRequest, WalletStatus, TEST_MNEMONIC,
};
use tokensign_core::device::{
    encode_command, Instruction, Status, MAX_COMMAND_LEN, P1_FIRST, P1_NEXT, P2_LAST, P2_MORE,
};
use tokensign_core::hd::{self, DerivationPath};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::{legacy, Address, Scheme, SigningKey, Transaction};
use tokensign_tests::strategies::ops;
use tokensign_tests::vectors::load_named;

use crate::board::Board;
use crate::client::{bench_apdu, bench_sign, sw_of, u32_at, u64_at, INS_BENCH, INS_GET_STACK};
use crate::definitions::{definition_flow, DefinitionFigures};
use crate::firmware::Backend;
use crate::transactions::{largest, request_len, spec_vectors, widen, FIRMWARE_BUFFER};
use crate::wallet::{account, PIN};

/// Random transactions signed through the firmware (each in every scheme
/// and descriptor it allows).
const RANDOM_TRANSACTIONS: usize = 28;
/// Bound on the whole device session.
const SESSION_LIMIT: Duration = Duration::from_secs(300);

fn review_of(tx: &Transaction, scheme: Scheme, descriptor: Descriptor) -> Vec<String> {
    Review::new(tx, scheme, descriptor)
        .pages(DEFAULT_PAGE_WIDTH)
        .map(|page| page.to_string())
        .collect()
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

/// The largest request of one operation: its length, peak stack and
/// sign-path ticks (the most of its schemes and descriptors).
pub struct Largest {
    pub op: tokensign_core::OpType,
    pub request: usize,
    pub stack: u32,
    pub ticks: u64,
}

/// One firmware's session: the signatures it made, in order, and its
/// measurements.
pub struct Session {
    pub signatures: Vec<tokensign_core::Signature>,
    pub peak_stack: u32,
    pub stack_region: u32,
    pub statics: u32,
    pub per_tick: f64,
    pub bare: u64,
    pub issue: u64,
    /// A first derivation (GET_ADDRESS of a path not cached), in ticks.
    pub derivation: u64,
    /// A token definition's check and the sign after it.
    pub definition: DefinitionFigures,
    /// Per operation: its largest request.
    pub per_operation: Vec<Largest>,
}

impl Session {
    pub fn instructions(&self, ticks: u64) -> f64 {
        ticks as f64 * self.per_tick
    }
}

/// Derives addresses, signs every vector and random transactions of every
/// operation through the firmware, checks the refusals, and measures.
pub fn session(backend: Backend, firmware: &Path) -> Session {
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
