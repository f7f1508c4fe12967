//! Known answers for hierarchical keys (`tokensign_core::hd`), from the
//! published vectors in `tests/vectors/hd/`: Trezor's BIP-39 English
//! vectors, BIP-32 test vectors 1 to 4, and anvil's ten default accounts.
//!
//! BIP-32 publishes serialised keys (base58check xprv/xpub with the
//! parent's hash160 fingerprint); this test serialises the core's keys the
//! same way, with `bs58`/`ripemd`/`sha2` as dev-dependencies only.

use std::fs;
use std::path::PathBuf;

use ripemd::Ripemd160;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokensign_core::hd::{self, DerivationPath, ExtendedPrivateKey, Mnemonic, HARDENED};

fn read<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/hd")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bip39File {
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    source: String,
    passphrase: String,
    columns: Vec<String>,
    vectors: Vec<[String; 4]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bip32File {
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    source: String,
    vectors: Vec<Bip32Vector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bip32Vector {
    name: String,
    seed: String,
    chains: Vec<Bip32Chain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bip32Chain {
    path: String,
    xpub: String,
    xprv: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnvilFile {
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    source: String,
    mnemonic: String,
    addresses: Vec<String>,
    private_keys: Vec<String>,
}

const XPRV_VERSION: [u8; 4] = [0x04, 0x88, 0xad, 0xe4];
const XPUB_VERSION: [u8; 4] = [0x04, 0x88, 0xb2, 0x1e];

fn hash160(data: &[u8]) -> [u8; 20] {
    Ripemd160::digest(Sha256::digest(data)).into()
}

/// BIP-32 serialisation: version, depth, parent fingerprint, child number,
/// chain code, key data; base58check.
fn serialise(
    version: [u8; 4],
    path: &DerivationPath,
    parent: Option<&ExtendedPrivateKey>,
    key: &ExtendedPrivateKey,
) -> String {
    let mut data = Vec::with_capacity(78);
    data.extend_from_slice(&version);
    data.push(u8::try_from(path.depth()).unwrap());
    let fingerprint = parent.map_or([0; 4], |p| {
        let h = hash160(&p.public_key());
        [h[0], h[1], h[2], h[3]]
    });
    data.extend_from_slice(&fingerprint);
    data.extend_from_slice(&path.indices().last().copied().unwrap_or(0).to_be_bytes());
    data.extend_from_slice(key.chain_code());
    if version == XPRV_VERSION {
        data.push(0);
        data.extend_from_slice(&*key.secret_bytes());
    } else {
        data.extend_from_slice(&key.public_key());
    }
    bs58::encode(data).with_check().into_string()
}

fn xprv_of_master(seed: &[u8]) -> String {
    let master = ExtendedPrivateKey::master(seed).unwrap();
    serialise(XPRV_VERSION, &DerivationPath::MASTER, None, &master)
}

#[test]
fn bip39_english_vectors() {
    let file: Bip39File = read("bip39-english.json");
    assert_eq!(file.columns, ["entropy", "mnemonic", "seed", "master_xprv"]);
    assert_eq!(file.passphrase, "TREZOR");
    assert_eq!(file.vectors.len(), 24);
    for [entropy, sentence, seed, xprv] in &file.vectors {
        let entropy = hex::decode(entropy).unwrap();
        let from_entropy = Mnemonic::from_entropy(&entropy).unwrap();
        assert_eq!(from_entropy.phrase().as_str(), sentence);
        let parsed = Mnemonic::parse(sentence).unwrap();
        assert_eq!(parsed, from_entropy, "{sentence}");
        assert_eq!(parsed.word_count(), entropy.len() * 3 / 4);
        let derived = parsed.to_seed(&file.passphrase).unwrap();
        assert_eq!(hex::encode(derived.as_bytes()), *seed, "{sentence}");
        assert_eq!(xprv_of_master(derived.as_bytes()), *xprv, "{sentence}");
    }
}

#[test]
fn bip32_vectors_1_to_4() {
    let file: Bip32File = read("bip32.json");
    let names: Vec<&str> = file.vectors.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["vector 1", "vector 2", "vector 3", "vector 4"]);
    let mut chains = 0;
    for vector in &file.vectors {
        let seed = hex::decode(&vector.seed).unwrap();
        let master = ExtendedPrivateKey::master(&seed).unwrap();
        for chain in &vector.chains {
            let path = DerivationPath::parse(&chain.path).unwrap();
            assert_eq!(path.to_string(), chain.path, "canonical text form");
            let key = master.derive_path(&path).unwrap();
            let parent = path.indices().split_last().map(|(_, up)| {
                master
                    .derive_path(&DerivationPath::from_indices(up).unwrap())
                    .unwrap()
            });
            let what = format!("{} {}", vector.name, chain.path);
            assert_eq!(
                serialise(XPRV_VERSION, &path, parent.as_ref(), &key),
                chain.xprv,
                "{what}"
            );
            assert_eq!(
                serialise(XPUB_VERSION, &path, parent.as_ref(), &key),
                chain.xpub,
                "{what}"
            );
            // The one-call API gives the same secret, and the signing key
            // the same public key.
            assert_eq!(
                *hd::derive_secret(&seed, &path).unwrap(),
                *key.secret_bytes()
            );
            let signing = hd::derive_signing_key(&seed, &path).unwrap();
            assert_eq!(signing.public_key_compressed(), key.public_key());
            chains += 1;
        }
    }
    assert_eq!(chains, 17);
}

/// Child by child equals along the path (hardened and normal steps).
#[test]
fn derive_child_steps_compose() {
    let file: Bip32File = read("bip32.json");
    let vector = &file.vectors[1]; // m/0/2147483647'/1/2147483646'/2
    let seed = hex::decode(&vector.seed).unwrap();
    let path = DerivationPath::parse(&vector.chains.last().unwrap().path).unwrap();
    let mut key = ExtendedPrivateKey::master(&seed).unwrap();
    for &index in path.indices() {
        key = key.derive_child(index).unwrap();
    }
    let whole = ExtendedPrivateKey::master(&seed)
        .unwrap()
        .derive_path(&path)
        .unwrap();
    assert_eq!(*key.secret_bytes(), *whole.secret_bytes());
    assert_eq!(key.chain_code(), whole.chain_code());
    assert!(path.indices().iter().any(|i| i & HARDENED != 0));
    assert!(path.indices().iter().any(|i| i & HARDENED == 0));
}

#[test]
fn anvil_default_accounts() {
    let file: AnvilFile = read("anvil-accounts.json");
    assert_eq!(file.addresses.len(), 10);
    let seed = Mnemonic::parse(&file.mnemonic)
        .unwrap()
        .to_seed("")
        .unwrap();
    for (index, expected) in file.addresses.iter().enumerate() {
        let path = DerivationPath::ethereum(u32::try_from(index).unwrap()).unwrap();
        let key = hd::derive_signing_key(seed.as_bytes(), &path).unwrap();
        let address = key.address().to_checksum();
        assert_eq!(
            std::str::from_utf8(&address).unwrap(),
            expected,
            "index {index}"
        );
        if let Some(secret) = file.private_keys.get(index) {
            let derived = hd::derive_secret(seed.as_bytes(), &path).unwrap();
            assert_eq!(
                format!("0x{}", hex::encode(*derived)),
                *secret,
                "index {index}"
            );
        }
    }
    assert_eq!(file.private_keys.len(), 2);
}

/// No `Debug` output of a secret-holding type shows the secret.
#[test]
fn debug_output_never_shows_secrets() {
    let file: AnvilFile = read("anvil-accounts.json");
    let mnemonic = Mnemonic::parse(&file.mnemonic).unwrap();
    let phrase = mnemonic.phrase();
    let seed = mnemonic.to_seed("").unwrap();
    let master = ExtendedPrivateKey::master(seed.as_bytes()).unwrap();
    let path = DerivationPath::ethereum(0).unwrap();
    let key = master.derive_path(&path).unwrap();
    let secret = hd::derive_secret(seed.as_bytes(), &path).unwrap();
    let texts = [
        format!("{mnemonic:?}"),
        format!("{phrase:?}"),
        format!("{seed:?}"),
        format!("{master:?}"),
        format!("{key:?}"),
        format!("{:?}", Mnemonic::parse("test").unwrap_err()),
        format!(
            "{:?}",
            Mnemonic::parse(&file.mnemonic.replace("junk", "test")).unwrap_err()
        ),
    ];
    let needles = [
        "test".to_string(),
        "junk".to_string(),
        hex::encode(&seed.as_bytes()[..4]),
        hex::encode(&key.secret_bytes()[..4]),
        hex::encode(&master.secret_bytes()[..4]),
        hex::encode(&key.chain_code()[..4]),
        hex::encode(&master.chain_code()[..4]),
        format!("{:?}", &seed.as_bytes()[..4]),
        format!("{:?}", &secret[..4]),
        format!("{:?}", &key.chain_code()[..4]),
    ];
    for text in &texts {
        for needle in &needles {
            assert!(!text.contains(needle.as_str()), "{text:?} shows {needle:?}");
        }
    }
}
