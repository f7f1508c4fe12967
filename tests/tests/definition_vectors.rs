//! Known answers for signed token definitions
//! (`tests/vectors/definitions/definitions.json`, format in
//! `docs/definitions.md`): the core decodes each valid vector to its
//! fields, encodes them back byte for byte, computes its signing hash,
//! reproduces its signature (RFC 6979) and accepts it from its signer; it
//! refuses each invalid vector with exactly the named error.
//!
//! The file was made once by `regenerate` (ignored; run it only for a new
//! version of the format): encodings by an encoder written here from the
//! format's table, hashes by alloy's keccak256, signatures by the core and
//! recovered by alloy to the signer. The tests below never rewrite it.

use std::fs;
use std::path::PathBuf;

use alloy_primitives::{keccak256, Signature as AlloySignature, B256};
use serde::{Deserialize, Serialize};
use tokensign_core::definition::{
    DefinitionError, SignedDefinition, TokenDefinition, TokenUnit, DEFINITION_LEN,
    SIGNED_DEFINITION_LEN,
};
use tokensign_core::{Address, SigningKey};

const FORMAT: &str = "tokensign-definition-vectors/1";

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct File {
    format: String,
    description: String,
    /// The definitions key of the vectors (test only, never a real one).
    private_key: String,
    signer: String,
    /// A second key, whose definitions are signed correctly but untrusted.
    other_private_key: String,
    other_signer: String,
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Valid {
    name: String,
    chain_id: u64,
    token: String,
    symbol: String,
    decimals: u8,
    /// The 51-byte encoding.
    encoding: String,
    /// keccak256("tokensign.token-definition" || encoding).
    signing_hash: String,
    /// encoding || signer || r || s || v: what a file or a device carries.
    signed: String,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Invalid {
    name: String,
    note: String,
    /// The bytes, as a signed definition.
    signed: String,
    /// Checked for use with these (absent: decoding alone refuses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    use_on: Option<UseOn>,
    /// The error's name (`DefinitionError` variant).
    error: String,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct UseOn {
    /// The trusted signers.
    trusted: Vec<String>,
    /// The transaction's chain and token.
    chain_id: u64,
    token: String,
}

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/definitions/definitions.json")
}

fn load() -> File {
    let text = fs::read_to_string(path()).expect("the definition vectors are committed");
    let file: File = serde_json::from_str(&text).expect("the vector format");
    assert_eq!(file.format, FORMAT);
    file
}

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text.strip_prefix("0x").expect("0x")).expect("hex")
}

fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn key(secret: &str) -> SigningKey {
    SigningKey::from_bytes(&unhex(secret).try_into().expect("32 bytes")).expect("a key")
}

fn name(e: &DefinitionError) -> &'static str {
    match e {
        DefinitionError::Truncated { .. } => "Truncated",
        DefinitionError::TrailingBytes { .. } => "TrailingBytes",
        DefinitionError::UnsupportedVersion(_) => "UnsupportedVersion",
        DefinitionError::DecimalsOutOfRange(_) => "DecimalsOutOfRange",
        DefinitionError::SymbolLength(_) => "SymbolLength",
        DefinitionError::SymbolCharacter => "SymbolCharacter",
        DefinitionError::NonZeroPadding => "NonZeroPadding",
        DefinitionError::BadSignature => "BadSignature",
        DefinitionError::UntrustedSigner(_) => "UntrustedSigner",
        DefinitionError::WrongChain { .. } => "WrongChain",
        DefinitionError::WrongToken { .. } => "WrongToken",
    }
}

// ------------------------------------------------------------ the checks

#[test]
fn the_core_reads_writes_and_signs_every_valid_vector() {
    let file = load();
    let signing_key = key(&file.private_key);
    assert_eq!(signing_key.address().to_string(), file.signer);
    let trusted = [signing_key.address()];
    assert!(!file.valid.is_empty());
    for v in &file.valid {
        let ctx = &v.name;
        let definition = TokenDefinition {
            chain_id: v.chain_id,
            token: Address::parse(&v.token).expect("token"),
            unit: TokenUnit::new(&v.symbol, v.decimals).expect("unit"),
        };
        let encoding = unhex(&v.encoding);
        assert_eq!(encoding.len(), DEFINITION_LEN, "{ctx}");
        assert_eq!(definition.encode().to_vec(), encoding, "{ctx}: encoding");
        assert_eq!(TokenDefinition::decode(&encoding), Ok(definition), "{ctx}");
        assert_eq!(
            hex0x(&definition.signing_hash()),
            v.signing_hash,
            "{ctx}: hash"
        );
        let signed = unhex(&v.signed);
        assert_eq!(signed.len(), SIGNED_DEFINITION_LEN, "{ctx}");
        let decoded = SignedDefinition::decode(&signed).expect("decodes");
        assert_eq!(decoded.definition, definition, "{ctx}");
        // RFC 6979: the core makes exactly the committed signature.
        let made = definition.sign(&signing_key).expect("signs");
        assert_eq!(made, decoded, "{ctx}: signature");
        assert_eq!(made.encode().to_vec(), signed, "{ctx}: signed bytes");
        let checked = decoded.verify(&trusted).expect("a trusted signer");
        assert_eq!(checked.definition(), &definition);
        assert_eq!(
            checked.check_applies(v.chain_id, Some(definition.token)),
            Ok(())
        );
    }
}

#[test]
fn the_core_refuses_every_invalid_vector_by_name() {
    let file = load();
    assert!(!file.invalid.is_empty());
    for v in &file.invalid {
        let ctx = &v.name;
        let got = SignedDefinition::decode(&unhex(&v.signed)).and_then(|d| match &v.use_on {
            None => Ok(()),
            Some(on) => {
                let trusted: Vec<Address> = on
                    .trusted
                    .iter()
                    .map(|a| Address::parse(a).expect("address"))
                    .collect();
                let token = Address::parse(&on.token).expect("token");
                d.verify(&trusted)?.check_applies(on.chain_id, Some(token))
            }
        });
        match got {
            Ok(()) => panic!("{ctx}: accepted, must be refused with {}", v.error),
            Err(e) => assert_eq!(name(&e), v.error, "{ctx}: {e}"),
        }
    }
    // Every refusal the format names has a vector.
    for error in [
        "Truncated",
        "TrailingBytes",
        "UnsupportedVersion",
        "DecimalsOutOfRange",
        "SymbolLength",
        "SymbolCharacter",
        "NonZeroPadding",
        "BadSignature",
        "UntrustedSigner",
        "WrongChain",
        "WrongToken",
    ] {
        assert!(
            file.invalid.iter().any(|v| v.error == error),
            "no vector refused with {error}"
        );
    }
}

/// The answers hold for independent code: the encoding is the format's
/// table laid out here, the hash is alloy's keccak, the signature recovers
/// (alloy) to the signer named in the bytes.
#[test]
fn the_answers_hold_for_independent_code() {
    let file = load();
    for v in &file.valid {
        let encoding = unhex(&v.encoding);
        assert_eq!(
            encoding,
            layout(v.chain_id, &v.token, &v.symbol, v.decimals),
            "{}",
            v.name
        );
        let hash = domain_hash(&encoding);
        assert_eq!(hex0x(hash.as_slice()), v.signing_hash, "{}", v.name);
        let signed = unhex(&v.signed);
        assert_eq!(&signed[..DEFINITION_LEN], &encoding[..]);
        let signer = &signed[DEFINITION_LEN..DEFINITION_LEN + 20];
        let sig = &signed[DEFINITION_LEN + 20..];
        assert_eq!(recover(hash, sig), signer, "{}", v.name);
        assert_eq!(hex0x(signer), file.signer.to_lowercase());
    }
}

// ------------------------------------------------------------ the oracles

/// The format's table, written out byte by byte.
fn layout(chain_id: u64, token: &str, symbol: &str, decimals: u8) -> Vec<u8> {
    let mut out = vec![1u8];
    out.extend_from_slice(&chain_id.to_be_bytes());
    out.extend_from_slice(&unhex(token));
    out.push(decimals);
    out.push(u8::try_from(symbol.len()).expect("short symbol"));
    out.extend_from_slice(symbol.as_bytes());
    out.resize(51, 0);
    out
}

fn domain_hash(encoding: &[u8]) -> B256 {
    keccak256([b"tokensign.token-definition".as_slice(), encoding].concat())
}

fn recover(hash: B256, sig: &[u8]) -> Vec<u8> {
    let sig = AlloySignature::from_bytes_and_parity(&sig[..64], sig[64] == 1);
    sig.recover_address_from_prehash(&hash)
        .expect("recovers")
        .to_vec()
}

// ------------------------------------------------------------ how the file was made

fn valid(key: &SigningKey, name: &str, chain_id: u64, token: &str, symbol: &str, d: u8) -> Valid {
    let encoding = layout(chain_id, token, symbol, d);
    let hash = domain_hash(&encoding);
    let definition = TokenDefinition {
        chain_id,
        token: Address::parse(token).expect("token"),
        unit: TokenUnit::new(symbol, d).expect("unit"),
    };
    let signed = definition.sign(key).expect("signs").encode().to_vec();
    assert_eq!(
        recover(hash, &signed[DEFINITION_LEN + 20..]),
        key.address().0
    );
    Valid {
        name: name.to_owned(),
        chain_id,
        token: token.to_owned(),
        symbol: symbol.to_owned(),
        decimals: d,
        encoding: hex0x(&encoding),
        signing_hash: hex0x(hash.as_slice()),
        signed: hex0x(&signed),
    }
}

fn generate() -> File {
    let private_key = format!("0x{}", "42".repeat(32));
    let other_private_key = format!("0x{}", "43".repeat(32));
    let (main, other) = (key(&private_key), key(&other_private_key));
    let usdx_token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    let valid_vectors = vec![
        valid(&main, "usdx-testnet", 1_212_101, usdx_token, "USDX", 6),
        valid(
            &main,
            "longest-symbol-mainnet-18",
            21_210,
            "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF",
            "S2345678901234567890",
            18,
        ),
        valid(
            &main,
            "one-letter-0-decimals",
            u64::MAX,
            "0x0000000000000000000000000000000000000001",
            "a",
            0,
        ),
    ];
    let usdx = unhex(&valid_vectors[0].signed);
    let patched = |at: usize, b: u8| {
        let mut bytes = usdx.clone();
        bytes[at] = b;
        hex0x(&bytes)
    };
    let invalid = |name: &str, note: &str, signed: String, error: &str| Invalid {
        name: name.to_owned(),
        note: note.to_owned(),
        signed,
        use_on: None,
        error: error.to_owned(),
    };
    let trusted = vec![main.address().to_string()];
    let on = |chain_id: u64, token: &str| {
        Some(UseOn {
            trusted: trusted.clone(),
            chain_id,
            token: token.to_owned(),
        })
    };
    let from_other = TokenDefinition::decode(&unhex(&valid_vectors[0].encoding))
        .expect("decodes")
        .sign(&other)
        .expect("signs");
    let mut altered = unhex(&valid_vectors[0].signed);
    altered[29] = 2; // 6 decimals signed, 2 claimed
    let mut claimed = from_other.encode().to_vec();
    claimed[DEFINITION_LEN..DEFINITION_LEN + 20].copy_from_slice(&main.address().0);
    let mut extra = usdx.clone();
    extra.push(0);
    File {
        format: FORMAT.to_owned(),
        description: "Signed token definitions, version 1 (docs/definitions.md). Encodings laid out from the format's table, hashes by alloy's keccak256 over \"tokensign.token-definition\" || encoding, signatures RFC 6979 by tokensign-core with the test key and recovered by alloy-primitives. Each invalid vector is a valid one with the named damage; use_on gives the trusted signers and the transaction's chain and token it is checked for.".to_owned(),
        signer: main.address().to_string(),
        private_key,
        other_signer: other.address().to_string(),
        other_private_key,
        invalid: vec![
            invalid("empty", "no bytes", "0x".to_owned(), "Truncated"),
            invalid("truncated", "the last byte (v) missing", hex0x(&usdx[..SIGNED_DEFINITION_LEN - 1]), "Truncated"),
            invalid("bare-definition", "the 51-byte encoding without signer and signature", valid_vectors[0].encoding.clone(), "Truncated"),
            invalid("trailing-byte", "one byte after v", hex0x(&extra), "TrailingBytes"),
            invalid("version-2", "a version this core does not read", patched(0, 2), "UnsupportedVersion"),
            invalid("version-0", "version 0 does not exist", patched(0, 0), "UnsupportedVersion"),
            invalid("version-2-short", "another version of another length is named by its version", "0x02".to_owned(), "UnsupportedVersion"),
            invalid("decimals-19", "more decimals than the network allows", patched(29, 19), "DecimalsOutOfRange"),
            invalid("symbol-length-0", "an empty symbol", patched(30, 0), "SymbolLength"),
            invalid("symbol-length-21", "longer than the symbol field", patched(30, 21), "SymbolLength"),
            invalid("symbol-hyphen", "USDX with a hyphen for its S", patched(32, b'-'), "SymbolCharacter"),
            invalid("symbol-non-ascii", "a UTF-8 lead byte in the symbol", patched(32, 0xd0), "SymbolCharacter"),
            invalid("symbol-length-5", "a length that takes a zero padding byte into the symbol", patched(30, 5), "SymbolCharacter"),
            invalid("padding", "a non-zero byte after the symbol", patched(50, b'A'), "NonZeroPadding"),
            Invalid {
                use_on: on(1_212_101, usdx_token),
                ..invalid("altered-decimals", "signed with 6 decimals, carries 2", hex0x(&altered), "BadSignature")
            },
            Invalid {
                use_on: on(1_212_101, usdx_token),
                ..invalid("claimed-signer", "signed by the other key, names the trusted one", hex0x(&claimed), "BadSignature")
            },
            Invalid {
                use_on: on(1_212_101, usdx_token),
                ..invalid("untrusted-signer", "signed correctly by the other key, which is not trusted", hex0x(&from_other.encode()), "UntrustedSigner")
            },
            Invalid {
                use_on: on(21_210, usdx_token),
                ..invalid("wrong-chain", "the testnet definition for a mainnet transaction", valid_vectors[0].signed.clone(), "WrongChain")
            },
            Invalid {
                use_on: on(1_212_101, "0x0000000000000000000000000000000000000002"),
                ..invalid("wrong-token", "the USDX definition for another token", valid_vectors[0].signed.clone(), "WrongToken")
            },
        ],
        valid: valid_vectors,
    }
}

#[test]
#[ignore = "writes tests/vectors/definitions/definitions.json; the file is fixed data, made once"]
fn regenerate() {
    let text = serde_json::to_string_pretty(&generate()).expect("JSON") + "\n";
    fs::create_dir_all(path().parent().expect("a folder")).expect("folder");
    fs::write(path(), text).expect("write");
}
