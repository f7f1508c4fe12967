//! `GET /api/status`: the node's native write mode (spec section 1.2).

use serde::{Deserialize, Serialize};

/// Which signing scheme the node accepts for native writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NativeWriteMode {
    /// Legacy `/v1` writes only. A server without `/api/status` counts as
    /// this mode.
    V1Only,
    /// Both `/v1` and `/v2` writes.
    Dual,
    /// Domain-separated `/v2` writes only.
    V2Only,
}

/// How dual mode was (or was not) activated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationSource {
    /// Not activated.
    NotActivated,
    /// Every validator reported support.
    CapabilityFull,
    /// A binary release switched it on.
    BinaryRelease,
}

/// Validator capability counts for domain-separated transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainSeparatedSupport {
    /// Validators that support it.
    pub support_count: u64,
    /// Validators needed.
    pub required_count: u64,
    /// Whether every needed validator supports it.
    pub full_support: bool,
}

/// The body of `GET /api/status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStatus {
    /// The write mode.
    pub native_write_mode: NativeWriteMode,
    /// `true`: the node rejects every native write.
    pub read_only: bool,
    /// How dual mode was activated.
    pub activation_source: ActivationSource,
    /// Unix seconds of the dual-mode activation, if any.
    pub dual_activated_at_secs: Option<u64>,
    /// Validator capability counts.
    pub native_domain_separated_transactions: DomainSeparatedSupport,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_shape() {
        let text = r#"{"native_write_mode":"dual","read_only":false,"activation_source":"capability_full","dual_activated_at_secs":1767225600,"native_domain_separated_transactions":{"support_count":4,"required_count":4,"full_support":true}}"#;
        let s: NodeStatus = serde_json::from_str(text).unwrap();
        assert_eq!(s.native_write_mode, NativeWriteMode::Dual);
        assert_eq!(s.dual_activated_at_secs, Some(1_767_225_600));
        assert_eq!(serde_json::to_string(&s).unwrap(), text);
        assert!(serde_json::from_str::<NodeStatus>(&text.replace("dual", "v3_only")).is_err());
    }
}
