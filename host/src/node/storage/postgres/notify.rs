//! Checkpoint notifications between the node processes that share one
//! database, through PostgreSQL's `LISTEN`/`NOTIFY`.
//!
//! - Every write that closes a checkpoint issues, in its own SQL
//!   transaction, `pg_notify('tokensign_checkpoints', '<number>')`
//!   ([`NOTIFY`]). PostgreSQL delivers it only when (and if) the
//!   transaction commits, to every listening connection, in commit order.
//! - Each process keeps one connection of its own (not the pool's) that
//!   `LISTEN`s on the channel ([`listen`]) and reports what it hears; the
//!   node wakes its live stream with it, so a checkpoint another process
//!   closed reaches this process's stream consumers at once.
//! - When the connection is lost (the database restarts, the network
//!   drops), the listener reconnects with a backoff from
//!   [`RETRY_FIRST`] to [`RETRY_MAX`], forever, without blocking anything
//!   else. Notifications sent while it was away are lost, so after every
//!   (re)connected `LISTEN` it reports [`Heard::Unheard`]: look at the
//!   latest checkpoint once.

use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::{AsyncMessage, NoTls};

use super::{describe, DatabaseUrl, CONNECT_TIMEOUT, STEP_TIMEOUT};

/// The channel every tokensign node notifies and listens on (a macro, so
/// that the statements below are constants).
macro_rules! channel {
    () => {
        "tokensign_checkpoints"
    };
}
/// The statement that announces checkpoint `$1` (its number, as text).
pub(super) const NOTIFY: &str = concat!("SELECT pg_notify('", channel!(), "', $1)");
/// The statement that starts listening.
const LISTEN: &str = concat!("LISTEN ", channel!());
/// The first wait before a lost listener reconnects.
pub const RETRY_FIRST: Duration = Duration::from_millis(100);
/// The longest wait between two connection attempts.
pub const RETRY_MAX: Duration = Duration::from_secs(5);
/// TCP keepalive: idle time before the first probe, the time between
/// probes and the probes unanswered before the connection counts as
/// lost, so that a database host that vanished without closing the
/// connection is noticed within about half a minute (the listener
/// otherwise only waits, and the system's defaults take hours).
const KEEPALIVE_IDLE: Duration = Duration::from_secs(15);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(5);
const KEEPALIVE_RETRIES: u32 = 3;

/// What the listener reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A process committed checkpoint `n`.
    Committed(u64),
    /// Checkpoints may have been committed unheard (the listener has just
    /// (re)connected, or a notification did not say which): look.
    Unheard,
}

impl Heard {
    /// What a notification's payload says.
    fn of(payload: &str) -> Heard {
        payload.parse().map_or(Heard::Unheard, Heard::Committed)
    }
}

/// Listens on the channel at `url` until the task is dropped, reporting
/// to `heard`; reconnects whenever the connection is lost.
pub(super) async fn listen(url: DatabaseUrl, heard: impl Fn(Heard) + Send + Sync + 'static) {
    let mut wait = RETRY_FIRST;
    // Whether the last attempt failed too: only the first failure of a
    // run is a warning, the others are retried quietly.
    let mut failing = false;
    loop {
        let lost = session(&url, &heard).await;
        if lost.listened {
            wait = RETRY_FIRST;
            failing = false;
        }
        if failing {
            tracing::debug!(reason = %lost.reason, retry_in = ?wait, "checkpoint notifications: still no connection");
        } else {
            tracing::warn!(
                reason = %lost.reason,
                retry_in = ?wait,
                "checkpoint notifications lost: reconnecting (until then the live stream shows \
                 other processes' checkpoints only with this process's own)"
            );
        }
        failing = true;
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RETRY_MAX);
    }
}

/// Why a listening session ended.
struct Lost {
    /// Whether it was listening before it ended.
    listened: bool,
    reason: String,
}

/// One connection: connect, `LISTEN`, report until the connection ends.
async fn session(url: &DatabaseUrl, heard: &(impl Fn(Heard) + Send + Sync)) -> Lost {
    let lost = |reason: String| Lost {
        listened: false,
        reason,
    };
    let mut config = match url.client_config("tokensign-node-listener") {
        Ok(config) => config,
        Err(e) => return lost(e.to_string()),
    };
    config
        .keepalives(true)
        .keepalives_idle(KEEPALIVE_IDLE)
        .keepalives_interval(KEEPALIVE_INTERVAL)
        .keepalives_retries(KEEPALIVE_RETRIES);
    let (client, mut connection) =
        match tokio::time::timeout(CONNECT_TIMEOUT, config.connect(NoTls)).await {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return lost(describe(&e)),
            Err(_) => {
                return lost(format!(
                    "no connection within {} s",
                    CONNECT_TIMEOUT.as_secs()
                ))
            }
        };
    // The connection is driven here, in this task: its messages carry the
    // notifications, and it ends with the task.
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    let listening = tokio::time::timeout(STEP_TIMEOUT, async {
        let listen = client.batch_execute(LISTEN);
        tokio::pin!(listen);
        loop {
            tokio::select! {
                done = &mut listen => return done.map_err(|e| describe(&e)),
                message = messages.next() => deliver(message, heard)?,
            }
        }
    })
    .await;
    match listening {
        Ok(Ok(())) => {}
        Ok(Err(reason)) => return lost(reason),
        Err(_) => {
            return lost(format!(
                "LISTEN got no answer within {} s",
                STEP_TIMEOUT.as_secs()
            ))
        }
    }
    tracing::info!("checkpoint notifications: listening");
    // What was committed while no one listened is caught up at once.
    heard(Heard::Unheard);
    loop {
        if let Err(reason) = deliver(messages.next().await, heard) {
            // The client lives until here: dropping it ends the connection.
            drop(client);
            return Lost {
                listened: true,
                reason,
            };
        }
    }
}

/// Reports a notification among the connection's messages; the end of
/// the connection is an error.
fn deliver(
    message: Option<Result<AsyncMessage, tokio_postgres::Error>>,
    heard: &impl Fn(Heard),
) -> Result<(), String> {
    match message {
        Some(Ok(AsyncMessage::Notification(n))) => {
            heard(Heard::of(n.payload()));
            Ok(())
        }
        // Notices (and anything a later client adds) mean nothing here.
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(describe(&e)),
        None => Err("the database closed the connection".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_names_a_checkpoint_or_asks_to_look() {
        assert_eq!(Heard::of("42"), Heard::Committed(42));
        assert_eq!(Heard::of(&u64::MAX.to_string()), Heard::Committed(u64::MAX));
        assert_eq!(Heard::of(""), Heard::Unheard);
        assert_eq!(Heard::of("-1"), Heard::Unheard);
    }

    #[test]
    fn the_statements_name_one_channel() {
        assert_eq!(NOTIFY, "SELECT pg_notify('tokensign_checkpoints', $1)");
        assert_eq!(LISTEN, "LISTEN tokensign_checkpoints");
    }
}
