//! The token definitions flow on one firmware: a Payment shown in whole
//! tokens once the person trusted the definition's signer, refusals by
//! name, and the check's cost.

use tokensign::device::{default_path, DeviceClient, ProcessTransport, SignRequest};
use tokensign_core::definition::{TokenDefinition, TokenUnit};
use tokensign_core::device::{encode_command, Instruction, Status, MAX_COMMAND_LEN};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::tx::Payment;
use tokensign_core::{Address, Amount, Scheme, SigningKey, Transaction};

use crate::client::{bench_apdu, stack_since_paint, sw_of, INS_GET_STACK};
use crate::firmware::Backend;
use crate::wallet::account;

/// What the definition flow measured.
pub struct DefinitionFigures {
    /// PROVIDE_DEFINITION of a trusted signer's definition not seen before
    /// (decode, the signer on the list, its signature recovered), in ticks.
    pub check: u64,
    /// The same definition provided again (its recovery skipped), in ticks.
    pub repeat: u64,
    /// Peak stack of a definition and the sign after it.
    pub stack: u32,
}

/// A Payment of 1.5 USDX signed with a signed token definition, on either
/// firmware (both are built with the core's `device-definitions`): refused
/// by name while the device does not trust the definition's signer; once
/// the person trusted it on the device, the device's own pages show whole
/// tokens (the host core's review with that definition, page for page)
/// and it signs; an altered definition is refused by name; a definition
/// provided twice is checked in full once. Answers the figures.
pub fn definition_flow(
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
