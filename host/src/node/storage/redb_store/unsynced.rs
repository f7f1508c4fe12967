//! The non-durable file's sync rule: which commits of a file opened
//! without durability are durable ones after all.

use std::time::{Duration, Instant};

/// A non-durable file's commits between two durable ones, at most: redb
/// reuses the pages a commit frees only after a durable commit, so a file
/// committed only with `Durability::None` grew by every commit's pages
/// for as long as the node ran (11,211 pages, 44 MiB, after 2,000
/// one-account commits). One commit in this many (or the first after
/// [`SYNC_AFTER`]) is a durable one instead: the file stays within about
/// this many commits' pages of its live size (383 pages after the same
/// 2,000), and one fsync is spread over this many commits. Measured by
/// the ignored test `measure_sync` on this project's shared build machine,
/// whose fsync took 0.14-3.7 ms: a commit took 1.0-1.7 times as long as
/// one only `Durability::None`, still 4-20 times faster than a durable
/// commit; 16 cost 1.9 times, 256 let the file float 2,644 pages.
///
/// What a crash (not a clean stop: dropping the database commits durably)
/// can lose: the commits since the last durable one, at most
/// `SYNC_EVERY - 1` of them, and none older than [`SYNC_AFTER`] before
/// the latest commit. The file itself is always consistent (redb's
/// commits are atomic): a restart finds the state of some earlier commit.
pub(super) const SYNC_EVERY: u32 = 64;

/// The longest a non-durable file's commit waits for a durable one while
/// writes keep coming: the first commit this long after the oldest
/// unsynced one is durable. (A node that stops writing keeps its last
/// unsynced commits unsynced until its next commit or a clean stop.)
pub(super) const SYNC_AFTER: Duration = Duration::from_millis(100);

/// The non-durable commits since the last durable one.
pub(super) struct Unsynced {
    commits: u32,
    /// When the oldest of them was committed.
    since: Option<Instant>,
}

impl Unsynced {
    /// No commit since the last durable one.
    pub(super) fn none() -> Self {
        Unsynced {
            commits: 0,
            since: None,
        }
    }

    /// Counts a non-durable commit made at `now`.
    pub(super) fn add(&mut self, now: Instant) {
        self.commits += 1;
        self.since.get_or_insert(now);
    }

    /// Whether the next commit must be a durable one.
    pub(super) fn due(&self) -> bool {
        self.commits + 1 >= SYNC_EVERY || self.since.is_some_and(|t| t.elapsed() >= SYNC_AFTER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 63 commits in a row are non-durable and the 64th durable; so is
    /// the first one [`SYNC_AFTER`] after the oldest unsynced one.
    #[test]
    fn one_commit_in_sync_every_or_after_sync_after_is_durable() {
        let now = Instant::now();
        let mut unsynced = Unsynced::none();
        for _ in 1..SYNC_EVERY {
            assert!(!unsynced.due());
            unsynced.add(now);
        }
        assert!(unsynced.due());
        let mut old = Unsynced::none();
        old.add(now.checked_sub(SYNC_AFTER).unwrap());
        assert!(old.due());
        old.add(now);
        assert!(old.due(), "the oldest unsynced commit sets the time");
    }
}
