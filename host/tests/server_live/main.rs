//! The node's live side: the `read_only` mode (spec 1.2), the live stream
//! (`GET /v1/stream`: order, resume, the slow-consumer rule), the
//! explorer's reads and page, and `tokensign watch`. A module per concern.

#[path = "../server_common/mod.rs"]
mod server_common;

mod explorer;
mod read_only;
mod stream;
mod watch;
