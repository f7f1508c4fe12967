//! PROVIDE_DEFINITION: a trusted definition for the next sign only.

use super::*;

/// PROVIDE_DEFINITION: a trusted definition turns the next sign's amounts
/// into whole tokens; each refusal has its cause byte; it serves one sign
/// only, and any other request forgets it.
#[test]
fn provided_definition_serves_the_next_sign_only() {
    use crate::definition::{TokenDefinition, TokenUnit};
    use crate::key::SigningKey;
    const PROVIDE: u8 = Instruction::ProvideDefinition as u8;
    let refused = sw(Status::DefinitionRefused);
    let definer = SigningKey::from_bytes(&[0x42; 32]).unwrap();
    let definition = |chain_id, token| {
        TokenDefinition {
            chain_id,
            token,
            unit: TokenUnit::new("USDX", 1).unwrap(),
        }
        .sign(&definer)
        .unwrap()
    };
    let good = definition(1_212_101, Address([1; 20]));
    let mut d = device();
    let tx = payment();
    let req = request(&tx, Scheme::Native, Descriptor::Single, 0);
    let amount = |d: &TestDevice| {
        d.approver()
            .pages
            .iter()
            .find(|p| p.starts_with("Amount"))
            .cloned()
    };

    // Untrusted: refused by name (9), and the sign shows base units.
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())),
        (vec![9], refused)
    );
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));

    d.wallet_mut().trust_for_session(good.signer).unwrap();
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())),
        (vec![], OK)
    );
    assert_eq!(send(&mut d, &req, 40).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
    assert!(d.approver().pages.contains(&"Base units: 10".to_string()));
    // Used once: the next sign is in base units again.
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));
    // Forgotten by any other request between it and the sign.
    assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())).1, OK);
    assert_eq!(run(&mut d, &cmd(0x01, 0, 0, &[])).1, OK);
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));

    // Another chain or token: the sign is refused, nothing signed.
    for (other, cause) in [
        (definition(1, Address([1; 20])), 10),
        (definition(1_212_101, Address([9; 20])), 11),
    ] {
        assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &other.encode())).1, OK);
        assert_eq!(send(&mut d, &req, 200), (vec![cause], refused));
    }
    // Malformed ones: truncated, another version, a bad signature.
    let bytes = good.encode();
    let mut version = bytes;
    version[0] = 2;
    let mut forged = bytes;
    forged[80] ^= 1;
    for (data, cause) in [(&bytes[..100], 1), (&version[..], 3), (&forged[..], 8)] {
        assert_eq!(
            run(&mut d, &cmd(PROVIDE, 0, 0, data)),
            (vec![cause], refused)
        );
    }
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 1, 0, &bytes)).1,
        sw(Status::WrongP1P2)
    );

    // The last definition checked, provided again (its recovery skipped:
    // the QEMU test counts it), serves the next sign as the first time;
    // only its exact bytes are remembered, so a forged copy right after
    // is still refused, and the remembered one still served.
    for data in [&bytes[..], &bytes[..]] {
        assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, data)), (vec![], OK));
        assert_eq!(send(&mut d, &req, 40).1, OK);
        assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
    }
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &forged)),
        (vec![8], refused)
    );
    assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &bytes)), (vec![], OK));
    assert_eq!(send(&mut d, &req, 40).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
}
