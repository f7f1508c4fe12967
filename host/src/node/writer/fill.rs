//! Filling a durable batch: how many jobs the writer waits for before it
//! commits, and for how long.
//!
//! A durable commit costs one fsync whatever it holds, so a batch of 8
//! costs what a batch of 1 costs. A closed-loop load (each connection
//! sends its next write once its last one is answered) left alone makes
//! the writer alternate small batches: commit N answers its jobs, commit
//! N+1 starts with whatever came in while N was syncing, and the senders
//! N answered come back while N+1 syncs. So when a commit has just
//! answered `answered` jobs and `queued` more were waiting for it, the
//! writer expects `answered + queued` jobs on their way (the answered
//! senders being parsed, recovered and queued behind the ones already
//! there) and waits for them, but never longer than half the last
//! commit and never longer than [`MAX_WAIT`]: a sender that does not
//! come back costs at most that once, and the next batch expects fewer.
//!
//! Only a durable store waits ([`Fill::new`]): without an fsync to share,
//! a commit is cheap and waiting would only add latency. A first job that
//! arrives after the writer sat idle for longer than its last commit took
//! is not part of a closed loop and is committed at once.

use std::time::{Duration, Instant};

/// The longest the writer waits for a batch to fill.
pub(super) const MAX_WAIT: Duration = Duration::from_millis(2);

/// What the writer knows of its last commit, to fill the next one.
#[derive(Debug)]
pub(super) struct Fill {
    on: bool,
    /// Jobs the last commit answered (their senders may come back).
    answered: usize,
    /// When the last commit ended.
    ended: Instant,
    /// How long it took.
    took: Duration,
}

/// What to wait for: the batch committed once it holds `jobs`, or at
/// `until`, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Wait {
    pub jobs: usize,
    pub until: Instant,
}

impl Fill {
    /// `on`: the store syncs each commit (a durable file or database).
    pub(super) fn new(on: bool) -> Self {
        Fill {
            on,
            answered: 0,
            ended: Instant::now(),
            took: Duration::ZERO,
        }
    }

    /// Whether a batch that was found with `queued` jobs waiting (when
    /// the writer came back from its last commit) and holds `held` now
    /// (at `now`, at most `max` allowed) should wait for more, and until
    /// when.
    pub(super) fn plan(
        &self,
        queued: usize,
        held: usize,
        max: usize,
        now: Instant,
    ) -> Option<Wait> {
        if !self.on || self.answered == 0 {
            return None;
        }
        // Idle for longer than a commit: not a closed loop.
        if now.saturating_duration_since(self.ended) > self.took {
            return None;
        }
        let jobs = self.answered.saturating_add(queued).min(max);
        if held >= jobs {
            return None;
        }
        let wait = (self.took / 2).min(MAX_WAIT);
        Some(Wait {
            jobs,
            until: now + wait,
        })
    }

    /// A commit that answered `answered` jobs ran from `started` to
    /// `ended` (a control answers none).
    pub(super) fn committed(&mut self, answered: usize, started: Instant, ended: Instant) {
        self.answered = answered;
        self.ended = ended;
        self.took = ended.saturating_duration_since(started);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn after(jobs: usize, took: Duration) -> (Fill, Instant) {
        let mut fill = Fill::new(true);
        let started = Instant::now();
        let ended = started + took;
        fill.committed(jobs, started, ended);
        (fill, ended)
    }

    #[test]
    fn alternating_halves_wait_for_the_whole_loop() {
        // Commit N answered 4 while 4 others queued: expect 8.
        let (fill, ended) = after(4, MS);
        let now = ended + Duration::from_micros(10);
        assert_eq!(
            fill.plan(4, 4, 1024, now),
            Some(Wait {
                jobs: 8,
                until: now + MS / 2
            })
        );
        // Full already: commit at once.
        assert_eq!(fill.plan(4, 8, 1024, now), None);
        // Never beyond the batch limit.
        assert_eq!(fill.plan(4, 2, 6, now).map(|w| w.jobs), Some(6));
    }

    #[test]
    fn one_connection_never_waits() {
        let (fill, ended) = after(1, MS);
        assert_eq!(fill.plan(0, 1, 1024, ended), None);
    }

    #[test]
    fn an_idle_writer_commits_at_once() {
        let (fill, ended) = after(8, MS);
        assert_eq!(fill.plan(0, 1, 1024, ended + 2 * MS), None);
        // After a control (it answers no batch) nothing is expected.
        let mut fill = fill;
        fill.committed(0, ended, ended);
        assert_eq!(fill.plan(0, 1, 1024, ended), None);
    }

    #[test]
    fn the_wait_is_half_a_commit_and_at_most_max_wait() {
        let (fill, ended) = after(8, 100 * MS);
        assert_eq!(
            fill.plan(0, 1, 1024, ended).map(|w| w.until),
            Some(ended + MAX_WAIT)
        );
        let (fill, ended) = after(8, Duration::from_micros(400));
        assert_eq!(
            fill.plan(0, 1, 1024, ended).map(|w| w.until),
            Some(ended + Duration::from_micros(200))
        );
    }

    #[test]
    fn a_store_without_fsync_never_waits() {
        let mut fill = Fill::new(false);
        let started = Instant::now();
        fill.committed(8, started, started + MS);
        assert_eq!(fill.plan(0, 1, 1024, started + MS), None);
    }
}
