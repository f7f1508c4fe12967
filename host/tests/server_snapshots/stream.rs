//! The live stream after a revert.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;

#[test]
fn the_live_stream_closes_a_consumer_whose_checkpoints_were_reverted() {
    use tungstenite::stream::MaybeTlsStream;
    use tungstenite::Message;
    let live = live_with(|_| {});
    let a = live.a();
    let id = snapshot(a);
    let at = live.latest();
    let (mut socket, _) =
        tungstenite::connect(format!("ws://{a}/v1/stream")).expect("stream opens");
    if let MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
    }
    live.pay(keyless(0x91), 1);
    // The payment's frame, then its checkpoint's.
    let mut seen = 0;
    while seen < 2 {
        if let Message::Text(_) = socket.read().expect("a frame") {
            seen += 1;
        }
    }
    revert(a, id);
    let close = loop {
        match socket.read().expect("a close frame") {
            Message::Close(Some(c)) => break (u16::from(c.code), c.reason.to_string()),
            Message::Text(t) => panic!("a frame of the reverted history: {t}"),
            _ => {}
        }
    };
    assert_eq!(close.0, tokensign::api::stream::CLOSE_REVERTED, "{close:?}");
    assert_eq!(
        tokensign::api::stream::resume_point(&close.1),
        Some(at + 1),
        "{close:?}"
    );
    // The client (`tokensign watch`) resumes on the new history by itself.
    use tokensign::client::stream::{Stream, StreamEvent};
    let id = snapshot(a);
    let mut client = Stream::open(
        &format!("http://{a}"),
        None,
        std::time::Duration::from_secs(60),
    )
    .unwrap();
    live.pay(keyless(0x92), 1);
    for _ in 0..2 {
        assert!(matches!(
            client.next_event().unwrap(),
            StreamEvent::Frame(_)
        ));
    }
    revert(a, id);
    match client.next_event().unwrap() {
        StreamEvent::Resumed { from, reason } => {
            assert_eq!(from, at + 1);
            assert!(reason.contains("reverted"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let hash = live.pay(keyless(0x93), 1);
    match client.next_event().unwrap() {
        StreamEvent::Frame(tokensign::api::StreamFrame::Transaction { transaction, .. }) => {
            assert_eq!(transaction.hash, hash);
            assert_eq!(transaction.checkpoint_number, Some(at + 1));
        }
        other => panic!("{other:?}"),
    }
}
