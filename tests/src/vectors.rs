//! Known-answer vector files: schema and loader.
//!
//! Every file in `tests/vectors/*.json` is one [`VectorFile`]:
//!
//! ```json
//! {
//!   "format": "tokensign-vectors/1",
//!   "description": "what the file holds and where its answers come from",
//!   "notes": ["free text, e.g. why a case is there"],
//!   "vectors": [ { ...one Vector... } ]
//! }
//! ```
//!
//! Every vector is a legacy v1 TokenIssue (the issue spec's scheme). A
//! [`Vector`] holds a payload in the request-JSON field names (so
//! `clawback_enabled` absent = the seven-field form) and the answers:
//! `rlp` and `rlp_len`, `signing_hash`, `token_address`; optionally
//! `private_key` + `signature` (a deterministic RFC 6979 signature the core
//! must reproduce), or `signature` alone (an input: any r, s, v, for the
//! transaction hash), `tx_rlp_len`, `tx_hash`, and `tx_hash_rs_32_bytes`
//! (the *wrong* hash a tool gets when it keeps r and s as 32-byte strings;
//! recorded only to prove the two differ). All byte strings are `0x` +
//! lowercase hex. `sources` names who computed the answers.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokensign_core::text::Text;
use tokensign_core::tx::TokenIssue;
use tokensign_core::{json, Address, OpType, Operation, Signature, Transaction};

use crate::{hex0x, unhex_n};

/// The `format` tag of every vector file.
pub const FORMAT: &str = "tokensign-vectors/1";

/// One vector file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// What the file holds.
    pub description: String,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The vectors.
    pub vectors: Vec<Vector>,
}

/// A payload as in the request JSON, the address as `0x` + 40 hex digits
/// (any case the core accepts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorPayload {
    pub chain_id: u64,
    pub nonce: u64,
    pub symbol: String,
    pub name: String,
    pub decimals: u8,
    pub master_authority: String,
    pub is_private: bool,
    /// Absent: the seven-field form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback_enabled: Option<bool>,
}

/// `r`, `s` as `0x` + 64 hex digits, `v` 0 or 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorSignature {
    pub r: String,
    pub s: String,
    pub v: u8,
}

/// One known answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// Unique within the file.
    pub name: String,
    /// Why the vector is there.
    pub note: String,
    /// Who computed or published the answers.
    pub sources: Vec<String>,
    /// Secret key whose deterministic signature is `signature`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    pub payload: VectorPayload,
    /// Canonical RLP of the payload list.
    pub rlp: String,
    pub rlp_len: usize,
    /// keccak256(rlp).
    pub signing_hash: String,
    /// Last 20 bytes of keccak256(master_authority ++ symbol).
    pub token_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<VectorSignature>,
    /// Length of rlp([payload, v, r, s]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_rlp_len: Option<usize>,
    /// keccak256(rlp([payload, v, r, s])), r and s as minimal integers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_hash: Option<String>,
    /// The wrong hash with r and s kept as 32-byte strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_hash_rs_32_bytes: Option<String>,
}

impl VectorPayload {
    /// The master authority's bytes.
    pub fn master(&self) -> Address {
        Address::parse(&self.master_authority).expect("vector address")
    }

    /// The payload as the core reads a request body: through
    /// `json::parse_unsigned(OpType::TokenIssue, …)`, so every field rule
    /// applies; panics if the core refuses it.
    pub fn to_core(&self) -> Transaction {
        let body = serde_json::to_vec(self).expect("serialisable");
        json::parse_unsigned(OpType::TokenIssue, &body)
            .unwrap_or_else(|e| panic!("core refuses vector payload {self:?}: {e}"))
    }

    /// The issue itself, built field by field (not through JSON); panics
    /// if a text is refused.
    pub fn issue(&self) -> TokenIssue {
        TokenIssue {
            symbol: Text::new(&self.symbol).expect("vector symbol"),
            name: Text::new(&self.name).expect("vector name"),
            decimals: self.decimals,
            master_authority: self.master(),
            is_private: self.is_private,
            clawback_enabled: self.clawback_enabled,
        }
    }

    /// The vector form of a core TokenIssue transaction (address in
    /// lowercase hex); panics on another operation.
    pub fn from_core(tx: &Transaction) -> Self {
        let Operation::TokenIssue(p) = &tx.operation else {
            panic!(
                "vector files hold TokenIssue payloads, not {}",
                tx.op_type()
            );
        };
        VectorPayload {
            chain_id: tx.chain_id,
            nonce: tx.nonce,
            symbol: p.symbol.to_string(),
            name: p.name.to_string(),
            decimals: p.decimals,
            master_authority: hex0x(p.master_authority.as_bytes()),
            is_private: p.is_private,
            clawback_enabled: p.clawback_enabled,
        }
    }
}

impl VectorSignature {
    /// The core's signature.
    pub fn to_core(&self) -> Signature {
        Signature {
            r: unhex_n::<32>(&self.r),
            s: unhex_n::<32>(&self.s),
            v: self.v,
        }
    }

    /// The vector form of a core signature.
    pub fn from_core(sig: &Signature) -> Self {
        VectorSignature {
            r: hex0x(&sig.r),
            s: hex0x(&sig.s),
            v: sig.v,
        }
    }
}

/// The directory of the vector files.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Loads one vector file, checking its format tag and unique names.
pub fn load(path: &Path) -> VectorFile {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: VectorFile = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a vector file: {e}", path.display()));
    assert_eq!(file.format, FORMAT, "{}: format tag", path.display());
    let mut names: Vec<&str> = file.vectors.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(
        names.len(),
        before,
        "{}: duplicate vector names",
        path.display()
    );
    file
}

/// Loads a vector file by its file name in [`dir`].
pub fn load_named(file_name: &str) -> VectorFile {
    load(&dir().join(file_name))
}

/// Every `*.json` file directly in [`dir`], sorted by name, with its file
/// name. The subdirectories (`spec/`, the spec's own vectors; `hd/`, key
/// derivation) have other formats and their own tests.
pub fn load_all() -> Vec<(String, VectorFile)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir())
        .expect("vectors directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            (name, load(p))
        })
        .collect()
}

/// Serialises a vector file the way the generator commits it: pretty JSON
/// with a final newline.
pub fn to_pretty(file: &VectorFile) -> String {
    let mut text = serde_json::to_string_pretty(file).expect("serialisable");
    text.push('\n');
    text
}

impl VectorFile {
    /// The vector named `name`; panics if absent.
    pub fn get(&self, name: &str) -> &Vector {
        self.vectors
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("no vector named {name:?}"))
    }
}
