//! The CLI's exit codes and the one error type its commands return: the
//! only place that knows exit codes. Library errors ([`ClientError`],
//! [`SignerError`], [`NodeError`], the core's [`CoreError`]) are mapped
//! here, variant by variant.

use std::fmt;
use std::process::ExitCode;

use tokensign_core::Error as CoreError;

use crate::client::ClientError;
use crate::node::NodeError;
use crate::signer::{SignerError, SourceKind};

/// What kind of failure ended a command; each kind has its own exit code.
///
/// | code | kind |
/// |---|---|
/// | 0 | success |
/// | 1 | [`Failure::Internal`]: an unexpected local failure (I/O, a bug) |
/// | 2 | [`Failure::BadInput`]: bad flags, files, keys or payloads; nothing was sent |
/// | 3 | [`Failure::Rejected`]: the server answered with an error and did not accept the request |
/// | 4 | [`Failure::Network`]: the server could not be reached; the request did not arrive |
/// | 5 | [`Failure::UnknownOutcome`]: the request may have arrived; whether it was accepted is unknown |
/// | 6 | [`Failure::AcceptedMismatch`]: the server ACCEPTED the request but answered with another hash or token than computed locally |
/// | 7 | [`Failure::DeviceRefused`]: refused on the device (the person said no); nothing was signed or sent |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Failure {
    /// An unexpected local failure (exit 1).
    Internal,
    /// Bad input: flags, files, keys, passwords, payloads (exit 2). Nothing
    /// was sent.
    BadInput,
    /// The server refused the request with an error response (exit 3).
    Rejected,
    /// The server could not be reached or kept failing before the request
    /// could arrive (exit 4).
    Network,
    /// The request may have arrived, and a look-up could not tell whether it
    /// was accepted (exit 5). Check by transaction hash before re-sending.
    UnknownOutcome,
    /// The request was accepted, but the server's hash or token differs from
    /// the locally computed one (exit 6). Do NOT send it again.
    AcceptedMismatch,
    /// Refused on the device (exit 7): the person did not approve what the
    /// device showed; nothing was signed or sent.
    DeviceRefused,
}

impl Failure {
    /// The process exit code of this kind of failure.
    pub const fn code(self) -> u8 {
        match self {
            Failure::Internal => 1,
            Failure::BadInput => 2,
            Failure::Rejected => 3,
            Failure::Network => 4,
            Failure::UnknownOutcome => 5,
            Failure::AcceptedMismatch => 6,
            Failure::DeviceRefused => 7,
        }
    }

    /// A short label for the kind, used in `--json` error output.
    pub const fn label(self) -> &'static str {
        match self {
            Failure::Internal => "internal",
            Failure::BadInput => "bad_input",
            Failure::Rejected => "rejected",
            Failure::Network => "network",
            Failure::UnknownOutcome => "unknown_outcome",
            Failure::AcceptedMismatch => "accepted_mismatch",
            Failure::DeviceRefused => "refused_on_device",
        }
    }

    /// The exit code as a [`std::process::ExitCode`].
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

/// The error of a CLI command: its kind and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    /// The kind, which decides the exit code.
    pub kind: Failure,
    /// What went wrong and, where it helps, what to do.
    pub message: String,
    /// The server's `error_code`, when the server refused the request.
    pub error_code: Option<String>,
}

impl CliError {
    /// An error of `kind` with `message`.
    pub fn new(kind: Failure, message: impl Into<String>) -> Self {
        CliError {
            kind,
            message: message.into(),
            error_code: None,
        }
    }

    /// Bad input (exit 2).
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(Failure::BadInput, message)
    }

    /// An unexpected local failure (exit 1).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Failure::Internal, message)
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        self.kind.exit_code()
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// Bad input from the signing core (a field's value, a JSON body, a key).
impl From<CoreError> for CliError {
    fn from(e: CoreError) -> Self {
        CliError::bad_input(e.to_string())
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        let kind = match &e {
            ClientError::InvalidUrl { .. } => Failure::BadInput,
            ClientError::Refused { .. } => Failure::Rejected,
            ClientError::NotDelivered(_)
            | ClientError::NoListener(_)
            | ClientError::BadAnswer { .. } => Failure::Network,
            ClientError::UnknownOutcome(_) | ClientError::ServerFailed { .. } => {
                Failure::UnknownOutcome
            }
            ClientError::AnswerMismatch { .. } => Failure::AcceptedMismatch,
            ClientError::Encode(_) => Failure::Internal,
        };
        let mut message = e.to_string();
        if let ClientError::NoListener(_) = e {
            message.push_str(
                "\nNothing accepts connections there: is the node running? Start one with \
                 `tokensign node`, or check --url ($TOKENSIGN_URL).",
            );
        }
        if matches!(
            e,
            ClientError::NotDelivered(_) | ClientError::UnknownOutcome(_)
        ) {
            message.push_str(
                "\n(--timeout bounds each request's wait, --max-wait all of the command's, \
                 --retries the retries.)",
            );
        }
        if let Some(hint) = e.error_code().and_then(hint_for) {
            message.push('\n');
            message.push_str(hint);
        }
        CliError {
            kind,
            message,
            error_code: e.error_code().map(str::to_owned),
        }
    }
}

/// What to do next after a refusal with `code`, for the codes whose
/// answer a person can act on.
fn hint_for(code: &str) -> Option<&'static str> {
    use crate::node::codes;
    match code {
        codes::NONCE_MISMATCH => Some(
            "The nonce is not the account's next one: `tokensign nonce --address ADDRESS` \
             shows it; sign again with that --nonce (or leave --nonce out to read it).",
        ),
        _ => None,
    }
}

/// The flag of a kind of key source, and the variable that gives it when
/// that variable is set (so a conflict with the environment names it).
fn source_flag(kind: SourceKind) -> String {
    let (flag, var) = match kind {
        SourceKind::Keystore => ("--keystore", Some("TOKENSIGN_KEYSTORE")),
        SourceKind::PrivateKeyFile => ("--private-key-file", Some("TOKENSIGN_PRIVATE_KEY_FILE")),
        SourceKind::MnemonicFile => ("--mnemonic-file", Some("TOKENSIGN_MNEMONIC_FILE")),
        SourceKind::Pkcs11 => ("--pkcs11-module", Some("TOKENSIGN_PKCS11_MODULE")),
        SourceKind::Device => ("--signer device", Some("TOKENSIGN_DEVICE")),
        SourceKind::Dev => ("--dev-key", None),
        SourceKind::PrivateKeyEnv => return "$TOKENSIGN_PRIVATE_KEY".into(),
        SourceKind::MnemonicEnv => return "$TOKENSIGN_MNEMONIC".into(),
    };
    match var.filter(|v| std::env::var_os(v).is_some()) {
        Some(var) => format!("{flag} (${var} is set)"),
        None => flag.to_owned(),
    }
}

/// What the command line offers for a secret nothing can prompt for.
fn secret_flags(what: &str) -> &'static str {
    if what.contains("PIN") {
        "give --pin-file FILE ($TOKENSIGN_PIN_FILE)"
    } else {
        "give --password-file FILE ($TOKENSIGN_PASSWORD_FILE) or $TOKENSIGN_PASSWORD"
    }
}

impl From<SignerError> for CliError {
    fn from(e: SignerError) -> Self {
        let message = match &e {
            SignerError::TwoSources(kinds) => {
                let names: Vec<String> = kinds.iter().map(|k| source_flag(*k)).collect();
                format!(
                    "{e}. Given: {}. Use only one of them: drop a flag, or unset the variable",
                    names.join(", ")
                )
            }
            SignerError::NoTerminal { what } | SignerError::PromptFailed { what, .. } => {
                format!("{e}: {}", secret_flags(what))
            }
            _ => e.to_string(),
        };
        let kind = match &e {
            SignerError::DeviceRejected => Failure::DeviceRefused,
            SignerError::DeviceOpen { source, .. }
            | SignerError::DeviceAddress { source, .. }
            | SignerError::Device(source)
                if source.is_for_the_person() =>
            {
                Failure::BadInput
            }
            SignerError::KeystoreWrite { .. }
            | SignerError::KeystoreCreate { .. }
            | SignerError::DeviceAddress { .. }
            | SignerError::Device(_)
            | SignerError::Signing(_)
            | SignerError::WrongSigner { .. } => Failure::Internal,
            _ => Failure::BadInput,
        };
        CliError::new(kind, message)
    }
}

/// Every refusal of a partial signature file is bad input (exit 2):
/// nothing was sent.
impl From<crate::signer::partial::PartialError> for CliError {
    fn from(e: crate::signer::partial::PartialError) -> Self {
        CliError::bad_input(e.to_string())
    }
}

impl From<NodeError> for CliError {
    fn from(e: NodeError) -> Self {
        let kind = if e.is_bad_setup() {
            Failure::BadInput
        } else {
            Failure::Internal
        };
        CliError::new(kind, crate::show::sanitize(&e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::RestError;

    #[test]
    fn codes_are_distinct() {
        let all = [
            Failure::Internal,
            Failure::BadInput,
            Failure::Rejected,
            Failure::Network,
            Failure::UnknownOutcome,
            Failure::AcceptedMismatch,
            Failure::DeviceRefused,
        ];
        let mut codes: Vec<u8> = all.iter().map(|f| f.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(!codes.contains(&0));
    }

    #[test]
    fn client_errors_keep_their_meaning() {
        let refusal = RestError::from_response(422, br#"{"error_code":"X","message":"m"}"#);
        let e = CliError::from(ClientError::Refused {
            what: "w".into(),
            error: refusal.clone(),
        });
        assert_eq!(
            (e.kind, e.error_code.as_deref()),
            (Failure::Rejected, Some("X"))
        );
        let e = CliError::from(ClientError::ServerFailed {
            what: "w".into(),
            error: refusal,
        });
        assert_eq!(
            (e.kind, e.error_code.as_deref()),
            (Failure::UnknownOutcome, Some("X"))
        );
        let e = CliError::from(ClientError::NotDelivered("n".into()));
        assert_eq!(e.kind, Failure::Network);
        let e = CliError::from(ClientError::AnswerMismatch {
            expected_hash: "a".into(),
            server_hash: "b".into(),
            expected_token: None,
            server_token: None,
        });
        assert_eq!(e.kind, Failure::AcceptedMismatch);
    }

    #[test]
    fn signer_and_node_errors() {
        assert_eq!(
            CliError::from(SignerError::TwoSources(vec![
                SourceKind::Keystore,
                SourceKind::Dev
            ]))
            .kind,
            Failure::BadInput
        );
        assert_eq!(
            CliError::from(SignerError::DeviceRejected).kind,
            Failure::DeviceRefused
        );
        assert_eq!(
            CliError::from(SignerError::Signing(CoreError::SigningFailed)).kind,
            Failure::Internal
        );
        let busy = NodeError::DataDirInUse {
            dir: "d".into(),
            db: "f".into(),
        };
        assert_eq!(CliError::from(busy).kind, Failure::BadInput);
        assert_eq!(
            CliError::from(NodeError::Aborted("x")).kind,
            Failure::Internal
        );
    }
}
