//! The node's `read_only` mode (spec section 1.2): the network's archive
//! read-only profile, which rejects every native write route and never
//! activates `dual`.
//!
//! Set at start (`NodeConfig::read_only`, `tokensign node --read-only`)
//! and held here as an atomic flag, so that it can be switched while the
//! node runs. Only the HTTP write routes consult it: the node's own
//! start-up writes (the developer accounts' test token) go straight to the
//! writer.

use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::StatusCode;
use tokensign_core::tx::OpType;

use super::error::{codes, ApiError};
use crate::api::{ActivationSource, DomainSeparatedSupport, NativeWriteMode, NodeStatus};

/// The modes that can change while the node runs.
#[derive(Debug)]
pub(crate) struct Modes {
    read_only: AtomicBool,
}

impl Modes {
    /// The modes a node starts with.
    pub(crate) fn new(read_only: bool) -> Self {
        Modes {
            read_only: AtomicBool::new(read_only),
        }
    }

    /// Whether every native write is refused.
    pub(crate) fn read_only(&self) -> bool {
        self.read_only.load(Ordering::Acquire)
    }

    /// Turns `read_only` on or off; returns the previous value.
    #[allow(dead_code)] // the runtime switch of the development controls
    pub(crate) fn set_read_only(&self, on: bool) -> bool {
        self.read_only.swap(on, Ordering::AcqRel)
    }

    /// The refusal of a native write of `op` while the node is read-only,
    /// checked before the write mode and before the body is read: 403
    /// `NODE_READ_ONLY` (the network documents no code; 403 is its status
    /// for a write surface that is not open, see docs/server.md).
    pub(crate) fn check_writable(&self, op: OpType) -> Result<(), ApiError> {
        if !self.read_only() {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            codes::NODE_READ_ONLY,
            format!(
                "this node is read_only (GET /api/status says so): it refuses every write, {} \
                 included; send the transaction to a writable node (the reads still work here)",
                op.name()
            ),
        ))
    }
}

/// The body of `GET /api/status` for a node in `mode`, started at
/// `started_secs`. `dual` and `v2_only` count as activated by full
/// capability (the local node is its only validator) at the node's start.
/// A read-only node, like the network's archive profile, never activates
/// `dual`: it reports `v1_only`, not activated, whatever its write mode
/// will be once it is writable.
pub(crate) fn status(mode: NativeWriteMode, read_only: bool, started_secs: u64) -> NodeStatus {
    let mode = if read_only {
        NativeWriteMode::V1Only
    } else {
        mode
    };
    let active = mode != NativeWriteMode::V1Only;
    NodeStatus {
        native_write_mode: mode,
        read_only,
        activation_source: if active {
            ActivationSource::CapabilityFull
        } else {
            ActivationSource::NotActivated
        },
        dual_activated_at_secs: active.then_some(started_secs),
        native_domain_separated_transactions: DomainSeparatedSupport {
            support_count: u64::from(active),
            required_count: 1,
            full_support: active,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_refuses_every_write_and_never_activates_dual() {
        let modes = Modes::new(true);
        for &op in OpType::ALL {
            let e = modes.check_writable(op).unwrap_err();
            assert_eq!(
                (e.status, e.code),
                (StatusCode::FORBIDDEN, "NODE_READ_ONLY")
            );
            assert!(e.message.contains(op.name()), "{}", e.message);
        }
        let s = status(NativeWriteMode::V2Only, true, 7);
        assert!(s.read_only);
        assert_eq!(s.native_write_mode, NativeWriteMode::V1Only);
        assert_eq!(s.activation_source, ActivationSource::NotActivated);
        assert_eq!(s.dual_activated_at_secs, None);
        assert!(!s.native_domain_separated_transactions.full_support);
        assert!(modes.set_read_only(false));
        assert!(modes.check_writable(OpType::Payment).is_ok());
        let s = status(NativeWriteMode::Dual, false, 7);
        assert_eq!(
            (s.read_only, s.native_write_mode, s.dual_activated_at_secs),
            (false, NativeWriteMode::Dual, Some(7))
        );
    }
}
