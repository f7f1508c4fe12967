//! Every refusal has its status and, for a sign, its reason; no input
//! makes `handle` panic.

use super::*;

fn reason(d: &mut TestDevice, req: &[u8]) -> String {
    let (data, status) = run(d, &cmd(SIGN, P1_FIRST, P2_LAST, req));
    assert_eq!(status, sw(Status::InvalidData), "{req:?}");
    super::read_reason(&data)
        .unwrap_or_else(|| panic!("unreadable reason {data:?}"))
        .to_string()
}

#[test]
fn every_failure_has_its_status() {
    let mut d = device();
    assert_eq!(run(&mut d, &[]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[CLA, 1, 0, 0]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[CLA, 1, 0, 0, 1]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[0, 1, 0, 0, 0]).1, sw(Status::ClaNotSupported));
    assert_eq!(
        run(&mut d, &cmd(0x7f, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(0x03, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(0x10, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_LAST, b"x")).1,
        sw(Status::WrongState)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, 2, P2_LAST, b"x")).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_FIRST, 2, b"x")).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(reason(&mut d, &[9]), "scheme byte must be 1 (v1) or 2 (v2)");
    assert!(reason(&mut d, &[2, 99, 0]).starts_with("unknown operation"));
    assert!(reason(&mut d, &[1, 13, 0]).contains("native v2"));
    assert!(reason(&mut d, &[1, 1, 1]).starts_with("descriptor byte"));
    assert_eq!(reason(&mut d, &[2]), "sign request ends inside its header");
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_FIRST, P2_LAST, &[2, 1, 0, 11])).1,
        sw(Status::InvalidPath)
    );
    // The transaction's RLP is decoded strictly and every rule checked.
    let mut req = request(&payment(), Scheme::Native, Descriptor::Single, 0);
    req.push(0);
    assert!(reason(&mut d, &req).contains("RLP"));
    let bad_batch: Transaction<4, 4> = Transaction::new(
        1,
        1,
        BatchPayment::<4> {
            token: Address([1; 20]),
            operations: heapless::Vec::from_slice(&[BatchEntry {
                recipient: Address([2; 20]),
                amount: Amount::ZERO,
            }])
            .unwrap(),
            created_at: 0,
            operations_hash: None,
            batch_id: None,
        },
    );
    assert_eq!(
        reason(
            &mut d,
            &request(&bad_batch, Scheme::Native, Descriptor::Single, 0)
        ),
        "`operations[0].amount` must not be zero"
    );
    let empty_multisig: Transaction<4, 4> = Transaction::new(1, 1, CreateMultiSig::default());
    assert!(reason(
        &mut d,
        &request(&empty_multisig, Scheme::Native, Descriptor::Single, 0)
    )
    .contains("signers"));
    // Rejected by the user.
    d.approver_mut().reject = true;
    let req = request(&payment(), Scheme::Native, Descriptor::Single, 0);
    assert_eq!(send(&mut d, &req, 100).1, sw(Status::Denied));
    d.approver_mut().reject = false;
    // Too large: the buffer is 2048 bytes.
    let big = [b' '; 255];
    assert_eq!(run(&mut d, &cmd(SIGN, P1_FIRST, P2_MORE, &big)).1, OK);
    for _ in 0..7 {
        assert_eq!(run(&mut d, &cmd(SIGN, P1_NEXT, P2_MORE, &big)).1, OK);
    }
    assert_eq!(d.state(), State::Receiving(2040));
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_MORE, &big)).1,
        sw(Status::TooLarge)
    );
    assert_eq!(d.state(), State::Idle);
    // A new request ends a pending sign.
    let req = request(&payment(), Scheme::Legacy, Descriptor::Single, 0);
    run(&mut d, &cmd(SIGN, P1_FIRST, P2_MORE, &req[..10]));
    run(&mut d, &cmd(0x01, 0, 0, &[]));
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_LAST, &req[10..])).1,
        sw(Status::WrongState)
    );
    assert_eq!(send(&mut d, &req, 50).1, OK);
    // Small response buffers.
    let mut tiny = [0u8; 1];
    assert_eq!(d.handle(&cmd(0x01, 0, 0, &[]), &mut tiny), 0);
    let mut two = [0u8; 2];
    assert_eq!(
        d.handle(&cmd(0x02, 0, 0, &path_bytes(&path(0))), &mut two),
        2
    );
    assert_eq!(u16::from_be_bytes(two), sw(Status::ResponseTooSmall));
    let mut small = [0u8; 20];
    let n = d.handle(&cmd(SIGN, 0, 1, &[9]), &mut small);
    let (text, status) = split_response(&small[..n]).unwrap();
    assert_eq!(status, sw(Status::InvalidData));
    assert!(core::str::from_utf8(text).is_ok());
    for status in Status::ALL {
        assert_eq!(Status::from_word(status.word()), Some(*status));
        assert_ne!(status_text(status.word()), "unknown status");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn handle_never_panics(requests in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..300), 0..8),
        size in 0usize..300,
    ) {
        let mut d: Device<Recorder, 64, 2, 2> = Device::new(seed(), Recorder::default());
        let mut resp = vec![0u8; size];
        for mut r in requests {
            if r.len() > 1 { r[0] = CLA; }
            let n = d.handle(&r, &mut resp);
            prop_assert!(n <= resp.len());
            if size >= 2 { prop_assert!(n >= 2); }
        }
    }
}
