//! The settings that can change while the node runs (the development
//! controls switch them, `POST /dev/modes` and `POST /dev/fees`): the
//! write mode, the `read_only` mode of spec section 1.2 (the network's
//! archive read-only profile, which rejects every native write route and
//! never activates `dual`), and the fees the estimates report.
//!
//! Set at start (`NodeConfig::write_mode`, `NodeConfig::read_only`,
//! `tokensign node --write-mode/--read-only/--fee`) and held here as
//! atomics and a lock, read by every write before its body. Only the HTTP
//! write routes consult the modes: the node's own writes (the developer
//! accounts' test token, `POST /dev/send`) go straight to the writer. The
//! writer keeps its own copy of the fees, changed in order with the
//! writes; this copy follows it for the reads.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::RwLock;

use axum::http::StatusCode;
use tokensign_core::tx::OpType;

use super::error::{codes, ApiError};
use super::ledger::Fees;
use crate::api::{ActivationSource, DomainSeparatedSupport, NativeWriteMode, NodeStatus};

/// The settings that can change while the node runs.
#[derive(Debug)]
pub(crate) struct Modes {
    read_only: AtomicBool,
    write_mode: AtomicU8,
    /// When `dual` (or `v2_only`) became active: the node's start, or the
    /// switch from `v1_only`.
    activated_secs: AtomicU64,
    fees: RwLock<Fees>,
}

fn mode_code(mode: NativeWriteMode) -> u8 {
    match mode {
        NativeWriteMode::V1Only => 0,
        NativeWriteMode::Dual => 1,
        NativeWriteMode::V2Only => 2,
    }
}

fn mode_of(code: u8) -> NativeWriteMode {
    match code {
        0 => NativeWriteMode::V1Only,
        2 => NativeWriteMode::V2Only,
        _ => NativeWriteMode::Dual,
    }
}

impl Modes {
    /// The settings a node starts with, at `started_secs`.
    pub(crate) fn new(
        write_mode: NativeWriteMode,
        read_only: bool,
        fees: Fees,
        started_secs: u64,
    ) -> Self {
        Modes {
            read_only: AtomicBool::new(read_only),
            write_mode: AtomicU8::new(mode_code(write_mode)),
            activated_secs: AtomicU64::new(started_secs),
            fees: RwLock::new(fees),
        }
    }

    /// Whether every native write is refused.
    pub(crate) fn read_only(&self) -> bool {
        self.read_only.load(Ordering::Acquire)
    }

    /// Turns `read_only` on or off; returns the previous value.
    pub(crate) fn set_read_only(&self, on: bool) -> bool {
        self.read_only.swap(on, Ordering::AcqRel)
    }

    /// Which schemes writes may use.
    pub(crate) fn write_mode(&self) -> NativeWriteMode {
        mode_of(self.write_mode.load(Ordering::Acquire))
    }

    /// Switches the write mode at `now_secs`; returns the previous one.
    /// Leaving `v1_only` activates `dual` (and `v2_only`) now.
    pub(crate) fn set_write_mode(&self, mode: NativeWriteMode, now_secs: u64) -> NativeWriteMode {
        let previous = mode_of(self.write_mode.swap(mode_code(mode), Ordering::AcqRel));
        if previous == NativeWriteMode::V1Only && mode != NativeWriteMode::V1Only {
            self.activated_secs.store(now_secs, Ordering::Release);
        }
        previous
    }

    /// When the domain-separated scheme became active (meaningful while
    /// the mode is not `v1_only`).
    pub(crate) fn activated_secs(&self) -> u64 {
        self.activated_secs.load(Ordering::Acquire)
    }

    /// The fees the estimates report.
    pub(crate) fn fees(&self) -> Fees {
        match self.fees.read() {
            Ok(fees) => fees.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records the fees the writer now applies.
    pub(crate) fn set_fees(&self, fees: Fees) {
        match self.fees.write() {
            Ok(mut guard) => *guard = fees,
            Err(poisoned) => *poisoned.into_inner() = fees,
        }
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
    fn the_write_mode_switches_and_activates_when_it_leaves_v1_only() {
        let modes = Modes::new(NativeWriteMode::V1Only, false, Fees::default(), 7);
        assert_eq!(modes.write_mode(), NativeWriteMode::V1Only);
        assert_eq!(
            modes.set_write_mode(NativeWriteMode::V2Only, 20),
            NativeWriteMode::V1Only
        );
        assert_eq!(
            (modes.write_mode(), modes.activated_secs()),
            (NativeWriteMode::V2Only, 20)
        );
        // Between active modes the activation time stays.
        modes.set_write_mode(NativeWriteMode::Dual, 30);
        assert_eq!(
            (modes.write_mode(), modes.activated_secs()),
            (NativeWriteMode::Dual, 20)
        );
        modes.set_fees(Fees {
            flat: tokensign_core::Amount::from_u64(5),
            ..Fees::default()
        });
        assert_eq!(modes.fees().flat, tokensign_core::Amount::from_u64(5));
    }

    #[test]
    fn read_only_refuses_every_write_and_never_activates_dual() {
        let modes = Modes::new(NativeWriteMode::Dual, true, Fees::default(), 0);
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
