//! The instructions' answers: version, addresses and keys, signatures of
//! every scheme and descriptor, and the review of look-alike texts.

use super::*;

#[test]
fn version_addresses_and_keys() {
    let mut d = device();
    let (data, status) = run(&mut d, &cmd(0x01, 0, 0, &[]));
    assert_eq!(status, OK);
    assert_eq!(data[0], PROTOCOL_VERSION);
    assert_eq!(&data[1..], env!("CARGO_PKG_VERSION").as_bytes());
    for (index, expected) in [(0, ACCOUNT_0), (1, ACCOUNT_1)] {
        let (data, status) = run(&mut d, &cmd(0x02, P1_SILENT, 0, &path_bytes(&path(index))));
        assert_eq!(status, OK);
        assert_eq!(Address(data.try_into().unwrap()).to_string(), expected);
        let (key, status) = run(&mut d, &cmd(0x04, 0, 0, &path_bytes(&path(index))));
        assert_eq!(status, OK);
        let key: [u8; 33] = key.try_into().unwrap();
        assert_eq!(address_of_compressed(&key).unwrap().to_string(), expected);
    }
    assert!(d.approver().addresses.is_empty());
    let (data, status) = run(&mut d, &cmd(0x02, P1_CONFIRM, 0, &path_bytes(&path(0))));
    assert_eq!((status, data.len()), (OK, 20));
    assert_eq!(d.approver().addresses.len(), 1);
    d.approver_mut().reject = true;
    assert_eq!(
        run(&mut d, &cmd(0x02, P1_CONFIRM, 0, &path_bytes(&path(0)))).1,
        sw(Status::Denied)
    );
    for bad in [&[][..], &[1, 0, 0], &[11; 45], &[1, 0, 0, 0, 0, 9]] {
        assert_eq!(
            run(&mut d, &cmd(0x02, P1_SILENT, 0, bad)).1,
            sw(Status::InvalidPath),
            "{bad:?}"
        );
        assert_eq!(
            run(&mut d, &cmd(0x04, 0, 0, bad)).1,
            sw(Status::InvalidPath)
        );
    }
    assert_eq!(
        run(&mut d, &cmd(0x02, 2, 0, &path_bytes(&path(0)))).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(0x04, 1, 0, &path_bytes(&path(0)))).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(0x01, 0, 0, &[1])).1,
        sw(Status::WrongLength)
    );
    let deep =
        DerivationPath::from_indices(&[HARDENED | 44, HARDENED | 60, HARDENED, HARDENED, HARDENED])
            .unwrap();
    assert_eq!(
        run(&mut d, &cmd(0x02, P1_SILENT, 0, &path_bytes(&deep))).1,
        OK
    );
    let mut empty: TestDevice = Device::with_keys(Keys::empty(), Recorder::default());
    assert_eq!(
        run(&mut empty, &cmd(0x02, 0, 0, &path_bytes(&path(0)))).1,
        sw(Status::NotProvisioned)
    );
}

#[test]
fn signs_every_scheme_and_descriptor() {
    let me = Address::parse(ACCOUNT_1).unwrap();
    let tx = payment();
    let native_tx = native::normalize(tx.clone());
    let account = Address([0xa0; 20]);
    for (scheme, descriptor) in [
        (Scheme::Legacy, Descriptor::Single),
        (Scheme::Native, Descriptor::Single),
        (Scheme::Native, Descriptor::Multisig(account)),
    ] {
        for chunk in [1, 17, 255] {
            let mut d = device();
            let (data, status) = send(&mut d, &request(&tx, scheme, descriptor, 1), chunk);
            assert_eq!(status, OK, "{scheme:?} {descriptor:?}");
            let (sig, hash) = parse_sign_response(&data).unwrap();
            // The answer is the signing hash, whatever the descriptor.
            let signing = match scheme {
                Scheme::Legacy => legacy::signing_hash(&tx).unwrap(),
                Scheme::Native => native::signing_hash(&native_tx, descriptor),
            };
            assert_eq!(recover_hash(&signing, &sig), Ok(me));
            assert_eq!(hash, signing);
            let review: Vec<String> = Review::new(&native_tx, scheme, descriptor)
                .pages(DEFAULT_PAGE_WIDTH)
                .map(|p| p.to_string())
                .collect();
            assert_eq!(d.approver().pages, review);
            assert!(d.approver().pages.iter().any(|p| p == "Operation: Payment"));
            assert_eq!(
                d.approver()
                    .pages
                    .iter()
                    .any(|p| p.starts_with("Multisig account")),
                matches!(descriptor, Descriptor::Multisig(_))
            );
            assert_eq!(d.state(), State::Idle);
        }
    }
}

#[test]
fn the_review_shows_look_alikes_as_code_points() {
    let mut d = device();
    let cyrillic: Transaction<4, 4> = Transaction::new(
        1_212_101,
        2,
        TokenIssue {
            symbol: crate::text::Text::new("USD\u{421}").unwrap(),
            name: crate::text::Text::new("Dollar").unwrap(),
            decimals: 6,
            master_authority: Address([3; 20]),
            is_private: false,
            clawback_enabled: Some(true),
        },
    );
    let req = request(&cyrillic, Scheme::Native, Descriptor::Single, 0);
    assert_eq!(send(&mut d, &req, 255).1, OK);
    let shown = "Symbol: \"USD\\u{421}\"".to_string();
    assert!(
        d.approver().pages.contains(&shown),
        "{:?}",
        d.approver().pages
    );
}
