//! The serial frames: round trips, resynchronisation, and a decoder that
//! no byte stream makes panic.

use super::*;

#[test]
fn frames_round_trip_and_resync() {
    let mut out = [0u8; 600];
    let mut stream = Vec::new();
    stream.extend_from_slice(b"noise");
    let n = encode_frame(FRAME_REQUEST, b"hello", &mut out).unwrap();
    stream.extend_from_slice(&out[..n]);
    // A corrupted frame, then an empty one, then a maximal one.
    let mut bad = out[..n].to_vec();
    bad[5] ^= 1;
    stream.extend_from_slice(&bad);
    let n = encode_frame(FRAME_DISPLAY, b"", &mut out).unwrap();
    stream.extend_from_slice(&out[..n]);
    let big = [7u8; MAX_FRAME_PAYLOAD];
    let n = encode_frame(FRAME_RESPONSE, &big, &mut out).unwrap();
    stream.extend_from_slice(&out[..n]);
    let mut dec = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
    let mut got = Vec::new();
    let mut dropped = 0;
    for b in stream {
        match dec.push(b) {
            Decoded::Frame(kind) => got.push((kind, dec.payload().to_vec())),
            Decoded::Dropped => dropped += 1,
            Decoded::Pending => {}
        }
    }
    assert_eq!(dropped, 1);
    assert_eq!(got[0], (FRAME_REQUEST, b"hello".to_vec()));
    assert!(got.contains(&(FRAME_DISPLAY, Vec::new())));
    assert!(got.contains(&(FRAME_RESPONSE, big.to_vec())));
    assert_eq!(
        encode_frame(1, &[0; MAX_FRAME_PAYLOAD + 1], &mut [0; 1024]),
        Err(Error::BufferTooSmall)
    );
    assert_eq!(
        encode_frame(1, b"abc", &mut [0; 8]),
        Err(Error::BufferTooSmall)
    );
    // Known CRC-16/CCITT-FALSE check value.
    assert_eq!(crc16(0xFFFF, b"123456789"), 0x29B1);
    // A small decoder drops frames it cannot hold.
    let mut small = FrameDecoder::<4>::new();
    let n = encode_frame(FRAME_REQUEST, b"hello", &mut out).unwrap();
    let events: Vec<_> = out[..n].iter().map(|b| small.push(*b)).collect();
    assert!(events.contains(&Decoded::Dropped));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut dec = FrameDecoder::<64>::new();
        for b in bytes {
            if let Decoded::Frame(_) = dec.push(b) {
                prop_assert!(dec.payload().len() <= 64);
            }
        }
    }
}
