//! Properties of the hierarchical-key parsers (`tokensign_core::hd`): the
//! path parsers (text and binary) and the mnemonic parser give `Ok` or
//! `Err` on any input and never panic; what they accept round-trips; valid
//! inputs are accepted.

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::hd::path::MAX_PATH_TEXT_LEN;
use tokensign_core::hd::{
    DerivationPath, Mnemonic, MnemonicError, PathError, HARDENED, MAX_PATH_BYTES, MAX_PATH_DEPTH,
};
use tokensign_tests::regressions;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: regressions::persistence("hd_props"),
        ..ProptestConfig::default()
    }
}

fn binary(path: &DerivationPath) -> Vec<u8> {
    let mut out = [0u8; MAX_PATH_BYTES];
    let n = path.write_bytes(&mut out).unwrap();
    out[..n].to_vec()
}

/// An accepted path is sound: its canonical text and binary forms read
/// back as the same path.
fn accepted_path_is_sound(path: &DerivationPath) -> Result<(), TestCaseError> {
    let text = path.to_string();
    prop_assert!(text.len() <= MAX_PATH_TEXT_LEN);
    prop_assert_eq!(DerivationPath::parse(&text), Ok(*path));
    let bytes = binary(path);
    prop_assert_eq!(bytes.len(), path.encoded_len());
    prop_assert_eq!(DerivationPath::from_bytes(&bytes), Ok(*path));
    prop_assert!(path.depth() <= MAX_PATH_DEPTH);
    Ok(())
}

/// Valid steps: an index below 2^31, hardened or not, and the marker used.
fn step() -> impl Strategy<Value = (u32, Option<char>)> {
    (
        prop_oneof![0u32..100, 0u32..HARDENED, Just(HARDENED - 1)],
        prop_oneof![Just(None), Just(Some('\'')), Just(Some('h'))],
    )
}

/// Text made of path-like characters, to reach the parser's deeper states.
fn path_like_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        select(vec![
            'm', 'M', '/', '\'', 'h', 'H', '0', '1', '2', '9', ' ', 'x', 'é',
        ]),
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(config(5_000))]

    #[test]
    fn path_text_parser_never_panics(text in prop_oneof![any::<String>(), path_like_text()]) {
        if let Ok(path) = DerivationPath::parse(&text) {
            accepted_path_is_sound(&path)?;
            // Only `h` differs from the canonical form.
            prop_assert_eq!(path.to_string(), text.replace('h', "'"));
        }
    }

    #[test]
    fn path_binary_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        match DerivationPath::from_bytes(&bytes) {
            Ok(path) => {
                accepted_path_is_sound(&path)?;
                // The binary form is unique: only the canonical bytes decode.
                prop_assert_eq!(binary(&path), bytes.clone());
            }
            Err(e) => prop_assert!(matches!(
                e,
                PathError::Empty | PathError::TooDeep | PathError::Truncated | PathError::TrailingBytes
            )),
        }
        if let Ok((path, rest)) = DerivationPath::split_from_bytes(&bytes) {
            prop_assert_eq!([binary(&path).as_slice(), rest].concat(), bytes);
        }
    }

    #[test]
    fn valid_paths_are_accepted(steps in proptest::collection::vec(step(), 0..=MAX_PATH_DEPTH)) {
        let mut text = String::from("m");
        let mut indices = Vec::new();
        for &(index, marker) in &steps {
            text.push('/');
            text.push_str(&index.to_string());
            if let Some(m) = marker {
                text.push(m);
            }
            indices.push(if marker.is_some() { index | HARDENED } else { index });
        }
        let path = DerivationPath::parse(&text).unwrap();
        prop_assert_eq!(path.indices(), indices.as_slice());
        prop_assert_eq!(DerivationPath::from_indices(&indices), Ok(path));
        accepted_path_is_sound(&path)?;
        // One step more is refused.
        prop_assert_eq!(
            DerivationPath::parse(&format!("{text}{}", "/0".repeat(MAX_PATH_DEPTH + 1 - steps.len()))),
            Err(PathError::TooDeep)
        );
    }

    #[test]
    fn mnemonic_parser_never_panics(text in any::<String>()) {
        if let Ok(m) = Mnemonic::parse(&text) {
            prop_assert_eq!(Mnemonic::parse(m.phrase().as_str()), Ok(m));
        }
    }

    #[test]
    fn entropy_round_trips(
        entropy in select(vec![16usize, 20, 24, 28, 32])
            .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n))
    ) {
        let m = Mnemonic::from_entropy(&entropy).unwrap();
        prop_assert_eq!(m.word_count(), entropy.len() * 3 / 4);
        prop_assert_eq!(Mnemonic::parse(m.phrase().as_str()), Ok(m.clone()));
        // Upper case is not in the word list.
        prop_assert_eq!(
            Mnemonic::parse(&m.phrase().as_str().to_uppercase()),
            Err(MnemonicError::UnknownWord { position: 1 })
        );
    }

    /// Words of the list in any order: only the checksum can refuse them.
    #[test]
    fn list_words_fail_only_the_checksum(
        a in proptest::collection::vec(any::<u8>(), 32),
        b in proptest::collection::vec(any::<u8>(), 32),
        picks in proptest::collection::vec((any::<bool>(), 0usize..24), 12),
    ) {
        let ma = Mnemonic::from_entropy(&a).unwrap();
        let mb = Mnemonic::from_entropy(&b).unwrap();
        let (pa, pb) = (ma.phrase(), mb.phrase());
        let words_a: Vec<&str> = pa.as_str().split(' ').collect();
        let words_b: Vec<&str> = pb.as_str().split(' ').collect();
        let words: Vec<&str> = picks
            .iter()
            .map(|&(from_a, i)| if from_a { words_a[i] } else { words_b[i] })
            .collect();
        match Mnemonic::parse(&words.join(" ")) {
            Ok(m) => {
                let phrase = m.phrase();
                prop_assert_eq!(phrase.as_str(), words.join(" "));
            }
            Err(e) => prop_assert_eq!(e, MnemonicError::Checksum),
        }
    }
}

proptest! {
    // PBKDF2 costs 2048 HMACs a case.
    #![proptest_config(config(64))]

    #[test]
    fn passphrase_checks_never_panic(passphrase in any::<String>()) {
        let m = Mnemonic::from_entropy(&[0x42; 16]).unwrap();
        match m.to_seed(&passphrase) {
            Ok(_) => prop_assert!(passphrase.is_ascii() && passphrase.len() <= 256),
            Err(MnemonicError::PassphraseNotAscii) => prop_assert!(!passphrase.is_ascii()),
            Err(e) => prop_assert_eq!(e, MnemonicError::PassphraseTooLong),
        }
    }
}
