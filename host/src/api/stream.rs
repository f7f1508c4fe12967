//! The frames of the local node's live stream (`GET /v1/stream`, a
//! WebSocket): one JSON text frame per committed transaction, then one
//! closing its checkpoint. The node writes them; `tokensign watch` and the
//! explorer page read them.

use serde::{Deserialize, Serialize};

use super::{Checkpoint, Transaction, TransactionReceipt};

/// One frame of the stream, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamFrame {
    /// A committed transaction and its receipt, in its checkpoint's order
    /// (both carry `checkpoint_number` and `transaction_index`).
    Transaction {
        /// As `GET /v1/transactions/by_hash` serves it.
        transaction: Box<Transaction>,
        /// As `GET /v1/transactions/receipt/by_hash` serves it.
        receipt: Box<TransactionReceipt>,
    },
    /// A checkpoint, after all of its transactions: a consumer that has
    /// handled this frame resumes from `number + 1`.
    Checkpoint {
        /// As `GET /v1/checkpoints/by_number` serves it (hashes only).
        checkpoint: Checkpoint,
    },
}

/// The WebSocket close code of a consumer dropped for being slow (1008,
/// policy violation); the reason ends with `from=N`, where to resume.
pub const CLOSE_SLOW_CONSUMER: u16 = 1008;
/// The close code when the node stops (1001, going away).
pub const CLOSE_NODE_STOPPING: u16 = 1001;
/// The close code when the node's history was reverted (`POST
/// /dev/revert`) below what the stream had sent (4000, an application
/// code): the checkpoints after the reason's `from=N` are new; resume from
/// there.
pub const CLOSE_REVERTED: u16 = 4000;
/// The close code of a storage failure on the node (1011).
pub const CLOSE_INTERNAL_ERROR: u16 = 1011;

/// The checkpoint number to resume from, read from a slow-consumer close
/// reason (`… from=N`).
pub fn resume_point(reason: &str) -> Option<u64> {
    reason.rsplit_once("from=")?.1.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_tagged_and_resume_points_read() {
        let frame: StreamFrame = serde_json::from_str(
            r#"{"type":"checkpoint","checkpoint":{"hash":"0x","parent_hash":"0x","state_root":"0x",
                "transactions_root":"0x","receipts_root":"0x","number":3,"timestamp":1,"transactions":[]}}"#,
        )
        .unwrap();
        assert!(matches!(frame, StreamFrame::Checkpoint { checkpoint } if checkpoint.number == 3));
        assert_eq!(
            resume_point("slow consumer: 9 checkpoints behind; resume with from=42"),
            Some(42)
        );
        assert_eq!(resume_point("node stopping"), None);
    }
}
