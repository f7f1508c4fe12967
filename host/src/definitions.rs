//! Signed token definitions on the host (`docs/definitions.md`): the JSON
//! file that carries one, choosing the definition that applies to a
//! transaction among those a person gave, and asking a local node for its
//! own.
//!
//! The format, the signature and every check are the core's
//! ([`tokensign_core::definition`]); this module adds files and HTTP.

use std::fmt;

use serde::{Deserialize, Serialize};
use tokensign_core::definition::{
    DefinitionError, SignedDefinition, TrustedDefinition, SIGNED_DEFINITION_LEN,
};
use tokensign_core::Address;

use crate::client::Client;
use crate::show::{hex0x, sanitize};

/// The `format` member of a definition file.
pub const FILE_FORMAT: &str = "tokensign-definition/1";

/// The local node's route (a local extension, not the network's API).
pub const NODE_ROUTE: &str = "/v1/tokens/definition";

/// Largest definition file read, in bytes (a file is under 1 KiB).
pub const MAX_FILE_LEN: usize = 16 * 1024;

/// A definition as a file (and the local node's answer) holds it: the
/// signed bytes, which alone are authoritative, and their fields spelled
/// out for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionFile {
    /// [`FILE_FORMAT`].
    pub format: String,
    /// The chain id.
    pub chain_id: u64,
    /// The token, EIP-55.
    pub token: String,
    /// The symbol.
    pub symbol: String,
    /// The decimals.
    pub decimals: u8,
    /// The signer, EIP-55.
    pub signer: String,
    /// The 51-byte encoding, `0x` hex.
    pub encoding: String,
    /// The 65-byte signature (r, s, v), `0x` hex.
    pub signature: String,
    /// The 136-byte signed definition, `0x` hex: what is checked.
    pub signed: String,
}

impl DefinitionFile {
    /// The file of `signed`.
    pub fn new(signed: &SignedDefinition) -> Self {
        let d = &signed.definition;
        let s = &signed.signature;
        let mut sig = Vec::with_capacity(65);
        sig.extend_from_slice(&s.r);
        sig.extend_from_slice(&s.s);
        sig.push(s.v);
        DefinitionFile {
            format: FILE_FORMAT.to_owned(),
            chain_id: d.chain_id,
            token: d.token.to_string(),
            symbol: d.unit.symbol().as_str().to_owned(),
            decimals: d.unit.decimals(),
            signer: signed.signer.to_string(),
            encoding: hex0x(&d.encode()),
            signature: hex0x(&sig),
            signed: hex0x(&signed.encode()),
        }
    }
}

/// Why a definition file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not a JSON definition file.
    #[error("not a token definition file ({0}); give a file `tokensign definition sign` wrote")]
    NotAFile(String),
    /// Another format.
    #[error("format {0:?} is not {FILE_FORMAT:?}; give a file `tokensign definition sign` wrote")]
    Format(String),
    /// `signed` is not hex.
    #[error("\"signed\" is not 0x-hex of {SIGNED_DEFINITION_LEN} bytes")]
    NotHex,
    /// The signed bytes were refused.
    #[error("{0}")]
    Definition(DefinitionError),
    /// A spelled-out member says something else than the signed bytes.
    #[error(
        "\"{0}\" does not match the signed definition: the file was edited; only \"signed\" counts, get the file again"
    )]
    Disagrees(&'static str),
}

/// Reads a definition file: its signed bytes decoded (not yet checked
/// for trust), and every other member equal to what they hold.
pub fn read_file(bytes: &[u8]) -> Result<SignedDefinition, FileError> {
    let file: DefinitionFile =
        serde_json::from_slice(bytes).map_err(|e| FileError::NotAFile(sanitize(&e.to_string())))?;
    if file.format != FILE_FORMAT {
        return Err(FileError::Format(sanitize(&file.format)));
    }
    let raw = file
        .signed
        .strip_prefix("0x")
        .and_then(|h| hex::decode(h).ok())
        .ok_or(FileError::NotHex)?;
    let signed = SignedDefinition::decode(&raw).map_err(FileError::Definition)?;
    let expect = DefinitionFile::new(&signed);
    let members: [(&'static str, bool); 7] = [
        ("chain_id", file.chain_id == expect.chain_id),
        (
            "token",
            Address::parse(&file.token).ok() == Some(signed.definition.token),
        ),
        ("symbol", file.symbol == expect.symbol),
        ("decimals", file.decimals == expect.decimals),
        (
            "signer",
            Address::parse(&file.signer).ok() == Some(signed.signer),
        ),
        (
            "encoding",
            file.encoding.eq_ignore_ascii_case(&expect.encoding),
        ),
        (
            "signature",
            file.signature.eq_ignore_ascii_case(&expect.signature),
        ),
    ];
    if let Some((name, _)) = members.iter().find(|(_, ok)| !ok) {
        return Err(FileError::Disagrees(name));
    }
    Ok(signed)
}

/// A definition offered for a review, and where it came from (a file's
/// name, or the node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offered {
    /// Where it came from, as shown in messages.
    pub source: String,
    /// The definition.
    pub signed: SignedDefinition,
}

/// A definition that was refused, by name and source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Where it came from.
    pub source: String,
    /// Why.
    pub why: Refusal,
}

/// Why an offered definition cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The core refused it.
    Definition(DefinitionError),
    /// Two trusted definitions of the same token disagree.
    Conflicts {
        /// The other definition's source.
        other: String,
    },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.why {
            Refusal::Definition(e) => write!(f, "{}: {e}", self.source),
            Refusal::Conflicts { other } => write!(
                f,
                "{} and {other} define the same token differently: give only the right one",
                self.source
            ),
        }
    }
}

impl std::error::Error for Refused {}

/// The definition for a transaction on `chain_id` moving `token`, among
/// `offered`: each must be signed by one of `trusted` (an untrusted or a
/// bad one is refused, never skipped), and one must be for this chain and
/// this token. When none is, the refusal names the closest: one for this
/// token on another chain (`WrongChain`), else the first (`WrongToken`).
/// Nothing offered: `Ok(None)`. The chosen one comes back checked and as
/// it was offered (its signed bytes, for a device to check again).
pub fn choose(
    offered: &[Offered],
    trusted: &[Address],
    chain_id: u64,
    token: Option<Address>,
) -> Result<Option<(TrustedDefinition, Offered)>, Refused> {
    let mut checked = Vec::with_capacity(offered.len());
    for o in offered {
        let t = o.signed.verify(trusted).map_err(|e| Refused {
            source: o.source.clone(),
            why: Refusal::Definition(e),
        })?;
        checked.push((t, o));
    }
    let mut found: Option<(TrustedDefinition, Offered)> = None;
    for (t, o) in &checked {
        if t.check_applies(chain_id, token).is_err() {
            continue;
        }
        match &found {
            Some((first, other)) if first.definition().unit != t.definition().unit => {
                return Err(Refused {
                    source: o.source.clone(),
                    why: Refusal::Conflicts {
                        other: other.source.clone(),
                    },
                })
            }
            Some(_) => {}
            None => found = Some((*t, (*o).clone())),
        }
    }
    if found.is_some() || checked.is_empty() {
        return Ok(found);
    }
    let closest = checked
        .iter()
        .find(|(t, _)| Some(t.definition().token) == token)
        .or(checked.first());
    match closest {
        Some((t, o)) => Err(Refused {
            source: o.source.clone(),
            why: Refusal::Definition(
                t.check_applies(chain_id, token)
                    .err()
                    .unwrap_or(DefinitionError::BadSignature),
            ),
        }),
        None => Ok(None),
    }
}

/// What a node's definition route says when asked without a token: that
/// it is a tokensign local node, and which key signs its definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSigner {
    /// Always `"tokensign local node"`.
    pub node: String,
    /// The node's chain id.
    pub chain_id: u64,
    /// The key that signs the node's definitions, EIP-55.
    pub signer: String,
}

/// The `node` member of [`NodeSigner`].
pub const LOCAL_NODE: &str = "tokensign local node";

/// Asks the server whether it is a tokensign local node, and which key
/// signs its definitions: `None` for any other server (the network has no
/// such route), or when the server cannot be asked.
pub fn node_signer(client: &Client<'_>) -> Option<(u64, Address)> {
    let (status, body) = client.exchange("GET", NODE_ROUTE, None).ok()?;
    if status != 200 {
        return None;
    }
    let answer: NodeSigner = serde_json::from_slice(&body).ok()?;
    if answer.node != LOCAL_NODE {
        return None;
    }
    Some((answer.chain_id, Address::parse(&answer.signer).ok()?))
}

/// Asks a local node for its definition of `token`: `Ok(None)` when it
/// has none (an unknown token, a symbol a definition cannot carry),
/// `Err` when the answer is not a definition file.
pub fn fetch(client: &Client<'_>, token: &Address) -> Result<Option<SignedDefinition>, String> {
    let path = format!("{NODE_ROUTE}?token={token}");
    let (status, body) = client
        .exchange("GET", &path, None)
        .map_err(|e| format!("GET {path}: {e}"))?;
    match status {
        200 => read_file(&body)
            .map(Some)
            .map_err(|e| format!("GET {path}: {e}")),
        404 => Ok(None),
        _ => Err(format!("GET {path}: HTTP {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::definition::{TokenDefinition, TokenUnit};
    use tokensign_core::SigningKey;

    fn signed(key: u8, chain_id: u64, token: u8, symbol: &str) -> SignedDefinition {
        TokenDefinition {
            chain_id,
            token: Address([token; 20]),
            unit: TokenUnit::new(symbol, 6).unwrap(),
        }
        .sign(&SigningKey::from_bytes(&[key; 32]).unwrap())
        .unwrap()
    }

    fn address(key: u8) -> Address {
        SigningKey::from_bytes(&[key; 32]).unwrap().address()
    }

    fn offered(source: &str, s: SignedDefinition) -> Offered {
        Offered {
            source: source.into(),
            signed: s,
        }
    }

    #[test]
    fn files_round_trip_and_refuse_edits() {
        let s = signed(1, 5, 7, "USDX");
        let text = serde_json::to_vec(&DefinitionFile::new(&s)).unwrap();
        assert_eq!(read_file(&text), Ok(s));
        let mut v: serde_json::Value = serde_json::from_slice(&text).unwrap();
        v["symbol"] = "USDC".into();
        assert_eq!(
            read_file(&serde_json::to_vec(&v).unwrap()),
            Err(FileError::Disagrees("symbol"))
        );
        v["symbol"] = "USDX".into();
        v["format"] = "x/2".into();
        assert!(matches!(
            read_file(&serde_json::to_vec(&v).unwrap()),
            Err(FileError::Format(_))
        ));
        v["format"] = FILE_FORMAT.into();
        v["extra"] = 1.into();
        assert!(matches!(
            read_file(&serde_json::to_vec(&v).unwrap()),
            Err(FileError::NotAFile(_))
        ));
        let mut v: serde_json::Value = serde_json::from_slice(&text).unwrap();
        v["signed"] = "0x01".into();
        assert!(matches!(
            read_file(&serde_json::to_vec(&v).unwrap()),
            Err(FileError::Definition(DefinitionError::Truncated { .. }))
        ));
    }

    #[test]
    fn choosing_refuses_by_name() {
        let good = offered("a.json", signed(1, 5, 7, "USDX"));
        let other_token = offered("b.json", signed(1, 5, 8, "EURX"));
        let other_chain = offered("c.json", signed(1, 6, 7, "USDX"));
        let untrusted = offered("d.json", signed(2, 5, 7, "USDX"));
        let trusted = [address(1)];
        let token = Some(Address([7; 20]));
        // The right one among others is used.
        let (t, chosen) = choose(&[other_token.clone(), good.clone()], &trusted, 5, token)
            .unwrap()
            .unwrap();
        assert_eq!(chosen, good);
        assert_eq!(t.definition().unit.symbol().as_str(), "USDX");
        assert_eq!(choose(&[], &trusted, 5, token), Ok(None));
        // An untrusted one is refused even beside a good one.
        let e = choose(&[good.clone(), untrusted], &trusted, 5, token).unwrap_err();
        assert_eq!(e.source, "d.json");
        assert!(e.to_string().contains("not a trusted definitions signer"));
        // None applies: the closest is named.
        let e = choose(&[other_token.clone(), other_chain], &trusted, 5, token).unwrap_err();
        assert_eq!(e.source, "c.json");
        assert!(matches!(
            e.why,
            Refusal::Definition(DefinitionError::WrongChain { .. })
        ));
        let e = choose(&[other_token], &trusted, 5, token).unwrap_err();
        assert!(matches!(
            e.why,
            Refusal::Definition(DefinitionError::WrongToken { .. })
        ));
        // Two that disagree.
        let mut twin = signed(1, 5, 7, "USDX");
        twin.definition.unit = TokenUnit::new("USDX", 2).unwrap();
        let twin = offered(
            "e.json",
            twin.definition
                .sign(&SigningKey::from_bytes(&[1; 32]).unwrap())
                .unwrap(),
        );
        let e = choose(&[good, twin], &trusted, 5, token).unwrap_err();
        assert!(e.to_string().contains("define the same token differently"));
    }
}
