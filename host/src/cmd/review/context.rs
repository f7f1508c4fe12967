//! What a review knows besides the transaction: the token definitions a
//! person gave (`--definition`), the definition signers they trust
//! (`--trust-definitions`, `$TOKENSIGN_TRUST_DEFINITIONS`), and what the
//! server says: whether it is a tokensign local node (whose definitions
//! key is then trusted, and whose chain is shown as `local node`), its
//! definition of the token, else its token metadata (shown as the
//! server's word, never as verified).

use std::path::PathBuf;

use clap::Args;
use tokensign_core::definition::{DefinitionError, SignedDefinition, TokenUnit, TrustedDefinition};
use tokensign_core::tx::Transaction;
use tokensign_core::Address;

use super::super::common::{parse_address, read_limited_input};
use super::super::exit::CliError;
use super::super::session::is_live_url;
use crate::client::Client;
use crate::definitions::{self, choose, Offered, Refusal, MAX_FILE_LEN};
use crate::show::show_path;

/// The review flags of every command that signs or verifies.
#[derive(Debug, Clone, Default, Args)]
pub struct ReviewArgs {
    /// A signed token definition (a file `tokensign definition sign`
    /// wrote; repeatable): amounts of its token are shown in whole tokens.
    /// One that is not for the transaction's chain and token, badly signed
    /// or from an untrusted signer is refused.
    #[arg(long = "definition", value_name = "FILE")]
    pub definitions: Vec<PathBuf>,
    /// The trusted definition signers.
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// `--trust-definitions`: the keys whose token definitions are trusted.
#[derive(Debug, Clone, Default, Args)]
pub struct TrustArgs {
    /// Trust token definitions signed by ADDRESS (repeatable, or
    /// comma-separated). A local node's own definitions key is trusted
    /// without it.
    #[arg(
        long = "trust-definitions",
        value_name = "ADDRESS",
        value_delimiter = ',',
        env = "TOKENSIGN_TRUST_DEFINITIONS"
    )]
    pub trust: Vec<String>,
}

impl TrustArgs {
    /// The addresses, each checked.
    pub fn addresses(&self) -> Result<Vec<Address>, CliError> {
        self.trust
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| parse_address("--trust-definitions", a))
            .collect()
    }
}

/// Where the token's unit on a review comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum UnitSource {
    /// Nowhere: base units, the token unknown.
    #[default]
    None,
    /// A trusted definition, as it was offered: from a file (its name) or
    /// the local node, with its signed bytes (what a device checks again).
    Definition(TrustedDefinition, Box<Offered>),
    /// The server's token metadata: whole tokens marked as its word.
    Server(TokenUnit),
}

/// What the review of one transaction shows besides it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The token's unit and where it comes from.
    pub unit: UnitSource,
    /// Whether the chain is a local node's.
    pub local_node: bool,
}

/// The definitions given, the trusted signers, and what the server said.
#[derive(Clone, Debug, Default)]
pub struct ReviewContext {
    offered: Vec<Offered>,
    trusted: Vec<Address>,
    /// A tokensign local node's definitions key, when the server is one.
    node_signer: Option<Address>,
    /// Whether the server is a local node (the embedded one, or a
    /// `tokensign node`).
    local_node: bool,
}

impl Resolved {
    /// The signed definition the review uses, as it was offered (for a
    /// device, which checks it against its own trusted signers).
    pub fn signed_definition(&self) -> Option<&SignedDefinition> {
        match &self.unit {
            UnitSource::Definition(_, offered) => Some(&offered.signed),
            _ => None,
        }
    }
}

impl Resolved {
    /// The definition to give a device: one the person gave
    /// (`--definition`), never the local node's own (the device keeps its
    /// own trusted signers; a node's key is a development convenience for
    /// the host's review).
    pub fn definition_for_device(&self) -> Option<&SignedDefinition> {
        match &self.unit {
            UnitSource::Definition(_, offered) if offered.source != NODE_SOURCE => {
                Some(&offered.signed)
            }
            _ => None,
        }
    }
}

/// How the local node's own definition is named as a source.
const NODE_SOURCE: &str = "the local node";

impl ReviewContext {
    /// Reads every `--definition` file (each decoded, not yet checked for
    /// trust) and every `--trust-definitions` address; a bad file or
    /// address is refused before any key or server is used.
    pub fn from_args(args: &ReviewArgs) -> Result<Self, CliError> {
        let mut offered = Vec::with_capacity(args.definitions.len());
        for path in &args.definitions {
            if path.as_os_str() == "-" {
                return Err(CliError::bad_input(
                    "--definition takes a file, not standard input",
                ));
            }
            let bytes = read_limited_input(
                path,
                &mut std::io::empty(),
                MAX_FILE_LEN as u64,
                "a token definition",
            )?;
            let source = show_path(path);
            let signed = definitions::read_file(&bytes)
                .map_err(|e| CliError::bad_input(format!("--definition {source}: {e}")))?;
            offered.push(Offered { source, signed });
        }
        let trusted = args.trust.addresses()?;
        Ok(ReviewContext {
            offered,
            trusted,
            node_signer: None,
            local_node: false,
        })
    }

    /// Trusts the definition signers a device signing this run trusts for
    /// it (the emulated device's `--device-trust`): the person named them,
    /// and the host's review and the device's pages then agree.
    pub fn trust_device_signers(&mut self, keys: &crate::signer::KeyOptions) {
        if keys.device.is_some() {
            for signer in &keys.device_settings.session_trust {
                if !self.trusted.contains(signer) {
                    self.trusted.push(*signer);
                }
            }
        }
    }

    /// A context that knows nothing: base units, chains by their id.
    pub fn none() -> Self {
        Self::default()
    }

    /// Learns about the server at `url`: a tokensign local node says so
    /// on its definition route, with the key that signs its definitions,
    /// which is then trusted. A live 1Money network is never asked.
    pub fn learn_server(&mut self, client: &Client<'_>, url: &str) {
        if is_live_url(url) {
            return;
        }
        if let Some((_, signer)) = definitions::node_signer(client) {
            self.node_signer = Some(signer);
            self.local_node = true;
        }
    }

    /// Whether the server is a tokensign local node.
    pub fn is_local_node(&self) -> bool {
        self.local_node
    }

    fn trusted(&self) -> Vec<Address> {
        let mut all = self.trusted.clone();
        all.extend(self.node_signer);
        all
    }

    /// What the review of `tx` shows: the definition given for its chain
    /// and token (a given definition that cannot be used is refused, by
    /// file and reason); without one, the local node's definition; without
    /// that, the server's token metadata.
    pub fn resolve(
        &self,
        tx: &Transaction,
        client: Option<&Client<'_>>,
    ) -> Result<Resolved, CliError> {
        let token = tx.operation.token();
        let trusted = self.trusted();
        let mut resolved = Resolved {
            unit: UnitSource::None,
            local_node: self.local_node,
        };
        let chosen = choose(&self.offered, &trusted, tx.chain_id, token).map_err(|refused| {
            let hint = match &refused.why {
                Refusal::Definition(DefinitionError::UntrustedSigner(signer)) => {
                    format!(" (to trust it: --trust-definitions {signer})")
                }
                _ => String::new(),
            };
            CliError::bad_input(format!("token definition refused: {refused}{hint}"))
        })?;
        if let Some((definition, offered)) = chosen {
            resolved.unit = UnitSource::Definition(definition, Box::new(offered));
            return Ok(resolved);
        }
        let (Some(client), Some(token)) = (client, token) else {
            return Ok(resolved);
        };
        if self.node_signer.is_some() {
            if let Ok(Some(signed)) = definitions::fetch(client, &token) {
                let offered = [Offered {
                    source: NODE_SOURCE.into(),
                    signed,
                }];
                if let Ok(Some((definition, offered))) =
                    choose(&offered, &trusted, tx.chain_id, Some(token))
                {
                    resolved.unit = UnitSource::Definition(definition, Box::new(offered));
                    return Ok(resolved);
                }
            }
        }
        if let Ok(info) = client.token_metadata(&token) {
            if let Ok(unit) = TokenUnit::new(&info.symbol, info.decimals) {
                resolved.unit = UnitSource::Server(unit);
            }
        }
        Ok(resolved)
    }
}
