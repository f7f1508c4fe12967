//! The labels of the review's own items and the words it shows for the
//! chain and the scheme (the operations' field labels are in `tx/`).

/// The label of the operation line.
pub const LABEL_OPERATION: &str = "Operation";
/// The label of the chain.
pub const LABEL_CHAIN: &str = "Chain";
/// The label of the nonce.
pub const LABEL_NONCE: &str = "Nonce";
/// The label of the multisig account a member signs for.
pub const LABEL_MULTISIG_ACCOUNT: &str = "Multisig account";
/// The label of the signing scheme.
pub const LABEL_SCHEME: &str = "Signing scheme";
/// How chain 21210 is shown.
pub const CHAIN_NAME_MAINNET: &str = "1Money Mainnet";
/// How chain 1212101 is shown.
pub const CHAIN_NAME_TESTNET: &str = "1Money Testnet";
/// How the legacy scheme is shown.
pub const SCHEME_LEGACY: &str = "v1 (legacy)";
/// How the native scheme is shown.
pub const SCHEME_NATIVE: &str = "v2 (domain-separated)";
/// The label of an operation's token (the `Token` field of every
/// operation that has one).
pub const LABEL_TOKEN: &str = "Token";
/// The label of the base units after an amount shown in whole tokens.
pub const LABEL_BASE_UNITS: &str = "Base units";
/// The label of a warning before a text with non-ASCII characters.
pub const LABEL_WARNING: &str = "Warning";
