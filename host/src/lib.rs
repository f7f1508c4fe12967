//! tokensign: build, sign and submit every 1Money Network operation, read
//! the ledger, and run a local node that stands in for the network. The
//! `tokensign` command is this library's [`cmd`] module; everything it does
//! is a library call first.
//!
//! # Signing offline, and verifying a signed request
//!
//! A [`signer::Signer`] signs (a key here, or a device that shows the
//! operation first); [`signer::SignedRequest`] is the result, with the path
//! to POST it to and its body. Nothing here touches the network: the body
//! can be stored and submitted later, from another machine. Verifying a
//! body is parsing it as the operation of its path and recovering who
//! signed it.
//!
//! ```
//! use tokensign::signer::{KeySigner, SignedRequest, Signer};
//! use tokensign_core::tx::{Payment, CHAIN_ID_TESTNET};
//! use tokensign_core::{json, signing_key_from_bytes, Address, Amount, OpType, Scheme, Transaction};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A key held in this process (in real use: from a key file, a v3
//! // keystore or the environment, see `signer::load`).
//! let signer = KeySigner::new(signing_key_from_bytes(&[0x11; 32])?, "example key");
//!
//! let payment = Payment {
//!     recipient: Address([0x02; 20]),
//!     value: Amount::from_u64(2_500_000), // base units
//!     token: Address([0x01; 20]),
//! };
//! let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, payment);
//! let request = SignedRequest::sign(&signer, tx, Scheme::Native)?; // checked, then signed
//! assert_eq!(request.path(), "/v2/transactions/payment");
//! let body: Vec<u8> = request.body()?; // what to POST to that path
//!
//! // Verifying: the body read back strictly, and its signer recovered.
//! let parsed = SignedRequest::Native(json::parse_native(OpType::Payment, &body)?);
//! assert_eq!(parsed.sender()?, signer.address());
//! assert_eq!(parsed.tx_hash()?, request.tx_hash()?);
//! # Ok(())
//! # }
//! ```
//!
//! # The local node in process, and the client
//!
//! [`node::spawn_background`] starts the node on its own thread (tests and
//! tools embed it this way; `tokensign node` runs the same server), and
//! [`client::Client`] talks to it, or to the network, with retries and a
//! check of every answer against the locally computed hash.
//!
//! ```
//! use tokensign::client::{Client, ClientConfig, Expected};
//! use tokensign::node::{spawn_background, NodeConfig};
//! use tokensign::signer::{KeySigner, SignedRequest, Signer};
//! use tokensign_core::text::Text;
//! use tokensign_core::tx::TokenIssue;
//! use tokensign_core::{signing_key_from_bytes, Scheme, Transaction};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! // No operators: any valid signer may issue (the node warns about it).
//! let config = NodeConfig::new(dir.path().join("data"), vec![]);
//! let node = spawn_background(config, "127.0.0.1:0".parse()?)?;
//!
//! let client = Client::new(&node.url, ClientConfig::default())?;
//! let issuer = KeySigner::new(signing_key_from_bytes(&[0x22; 32])?, "issuer");
//! let nonce = client.nonce(&issuer.address())?;
//! let issue = TokenIssue {
//!     symbol: Text::new("DOCS")?,
//!     name: Text::new("Documentation Dollar")?,
//!     decimals: 6,
//!     master_authority: issuer.address(),
//!     is_private: false,
//!     clawback_enabled: None,
//! };
//! let tx = Transaction::new(client.chain_id()?, nonce, issue);
//! let request = SignedRequest::sign(&issuer, tx, Scheme::Native)?;
//! let expected = Expected { tx_hash: request.tx_hash()?, token: request.token() };
//! let submitted = client.submit(request.path(), &request.body()?, &expected)?;
//!
//! let token = submitted.token.ok_or("an issue answers its token")?;
//! assert_eq!(client.token_metadata(&token)?.symbol, "DOCS");
//! assert_eq!(client.nonce(&issuer.address())?, nonce + 1);
//! node.shutdown()?;
//! # Ok(())
//! # }
//! ```
//!
//! Layers, each pointing down only:
//!
//! - [`cmd`]: the command line (the write pipeline, a module per command)
//!   and the only place that knows exit codes and flags.
//! - [`client`] (REST), [`signer`] (keys, keystores, mnemonics, PKCS#11
//!   tokens and devices behind one trait), [`device`] (the device
//!   protocol's transports), [`node`] (the local API server),
//!   [`documents`] (signing documents, one or many), [`definitions`]
//!   (signed token definitions: files, choosing one, a local node's):
//!   library modules, each with its own error type.
//! - [`api`]: the wire types the client and the node share; [`input`]:
//!   reading the JSON documents people give; [`show`]: showing outside
//!   text safely (and paths, hex, I/O reasons); [`curve`]: secp256k1 in
//!   this process (the backend's context, recovery).
//! - `tokensign-core` below them all does every encoding, hash, signature
//!   and JSON step.

pub mod api;
pub mod client;
pub mod cmd;
pub mod curve;
pub mod definitions;
pub mod device;
pub mod documents;
pub mod input;
pub mod node;
pub mod show;
pub mod signer;
