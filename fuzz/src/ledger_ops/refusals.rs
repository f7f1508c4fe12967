//! The ledger's refusals by name, for the rules report.

/// The names of the ledger's refusals (`tokensign::node::ledger::Refusal`,
/// without the ones only the writer gives: `DuplicateTransaction`), for
/// the rules report. A test checks the list against the enum's source so
/// that a new refusal is not missed.
pub const REFUSALS: &[&str] = &[
    "WrongChainId",
    "NonceMismatch",
    "SignerNotOperator",
    "TokenAlreadyExists",
    "SymbolAlreadyExists",
    "UnknownToken",
    "NotAuthorized",
    "SelfGrant",
    "AllowanceExceeded",
    "InsufficientBalance",
    "AmountOverflow",
    "TokenPaused",
    "AlreadyPaused",
    "NotPaused",
    "SenderBlacklisted",
    "RecipientBlacklisted",
    "SenderNotWhitelisted",
    "RecipientNotWhitelisted",
    "ClawbackDisabled",
    "AccountNotFrozen",
    "AuthorityAlreadyGranted",
    "AuthorityNotHeld",
    "AuthorityLimitReached",
    "ListNotForToken",
    "AlreadyListed",
    "NotListed",
    "MultisigAlreadyExists",
    "MultisigAccountNotFound",
    "NotAMultisigMember",
    "MultisigBelowThreshold",
];
