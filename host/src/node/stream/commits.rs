//! What the writer and the server tell the stream's connections: the
//! latest committed checkpoint, each revert's target, and that the node is
//! stopping; and the wake-ups for checkpoints other processes commit.

use tokio::sync::{broadcast, watch};

use super::REVERTS_KEPT;

/// What the writer and the server tell the stream's connections: the
/// number of the last committed checkpoint, the target of each revert,
/// and that the node is stopping.
pub(crate) struct Commits {
    pub(super) last: watch::Receiver<u64>,
    pub(super) reverts: broadcast::Sender<u64>,
    pub(super) stopping: watch::Sender<bool>,
}

/// The writer's side of [`Commits`].
pub(crate) struct Announcer {
    last: watch::Sender<u64>,
    reverts: broadcast::Sender<u64>,
}

impl Announcer {
    /// Checkpoint `number` is committed.
    pub(crate) fn committed(&self, number: u64) {
        self.last.send_replace(number);
    }

    /// The history was reverted to checkpoint `target` (the last one kept,
    /// now the latest). Told before any later commit is announced, so no
    /// connection can see the replaced numbers without the revert.
    pub(crate) fn reverted(&self, target: u64) {
        // No connection listening is not an error.
        let _ = self.reverts.send(target);
        self.last.send_replace(target);
    }

    /// A handle that wakes the connections from outside the writer.
    pub(crate) fn waker(&self) -> Waker {
        Waker {
            last: self.last.clone(),
        }
    }
}

/// Wakes the stream's connections for checkpoints this process's writer
/// did not commit: those another process committed to a shared database.
/// Only a wake-up: a connection reads the latest checkpoint from the
/// store. It keeps the channel open, as the writer does; connections end
/// when the node stops ([`Commits::stopper`]).
#[derive(Clone)]
pub(crate) struct Waker {
    last: watch::Sender<u64>,
}

impl Waker {
    /// Checkpoint `number` was committed elsewhere: the connections wake,
    /// unless this process has announced it (or a later one) already.
    pub(crate) fn committed_elsewhere(&self, number: u64) {
        self.last.send_if_modified(|last| {
            let news = number > *last;
            if news {
                *last = number;
            }
            news
        });
    }

    /// Checkpoints may have been committed elsewhere unheard (while
    /// notifications were lost): the connections wake and look.
    pub(crate) fn look(&self) {
        self.last.send_modify(|_| {});
    }
}

impl Commits {
    /// The connections' side, and the writer's.
    pub(crate) fn new() -> (Commits, Announcer) {
        let (last_tx, last) = watch::channel(0);
        let (reverts, _) = broadcast::channel(REVERTS_KEPT);
        let (stopping, _) = watch::channel(false);
        let announcer = Announcer {
            last: last_tx,
            reverts: reverts.clone(),
        };
        (
            Commits {
                last,
                reverts,
                stopping,
            },
            announcer,
        )
    }

    /// A handle whose `send_replace(true)` tells every connection that the
    /// node is stopping: each sends a close frame (1001) and ends, so that
    /// the node's state can close.
    pub(crate) fn stopper(&self) -> watch::Sender<bool> {
        self.stopping.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waker_wakes_for_news_and_whenever_asked_to_look() {
        let (commits, announcer) = Commits::new();
        let mut last = commits.last.clone();
        let waker = announcer.waker();
        announcer.committed(5);
        assert!(last.has_changed().unwrap());
        last.borrow_and_update();
        // This process announced 5 already: hearing of it wakes no one.
        waker.committed_elsewhere(5);
        waker.committed_elsewhere(4);
        assert!(!last.has_changed().unwrap());
        waker.committed_elsewhere(6);
        assert_eq!(*last.borrow_and_update(), 6);
        waker.look();
        assert!(last.has_changed().unwrap());
        // The channel stays open while a waker lives.
        drop(announcer);
        assert!(last.has_changed().is_ok());
    }
}
