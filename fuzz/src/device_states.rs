//! The device protocol's states a `device_protocol` corpus reaches
//! (`coverage.sh states`), as [`crate::device::Session::exchange`]
//! reports them after every command: the state the device is left in
//! (idle, or receiving a sign request: none of its bytes yet, its bytes
//! so far in ranges of a command's most data (255 bytes) each, or the
//! buffer full), a request over the buffer
//! refused, and what the user was asked and answered (a review of each
//! scheme and signer, approved or denied; an address, confirmed or
//! denied).

use tokensign_core::device::State;
use tokensign_core::native::Descriptor;
use tokensign_core::Scheme;

use crate::device::Asked;
use crate::device_model::DEVICE_BUFFER;

/// The bytes of a command's data at most (`Lc` is one byte): the width of
/// each range of bytes received.
const CHUNK: usize = 255;

/// The label of the state a command left the device in.
pub fn state(state: State) -> String {
    match state {
        State::Idle => "idle".into(),
        State::Receiving(0) => "receiving 0 bytes".into(),
        State::Receiving(DEVICE_BUFFER) => format!("the buffer full ({DEVICE_BUFFER} bytes)"),
        State::Receiving(n) => {
            let first = (n - 1) / CHUNK * CHUNK + 1;
            let last = (first + CHUNK - 1).min(DEVICE_BUFFER - 1);
            format!("receiving {first} to {last} bytes")
        }
    }
}

/// The label of a request refused because it would overflow the buffer.
pub const OVER_THE_BUFFER: &str = "over the buffer: refused";

/// The labels of what the user was asked, and answered.
pub fn asked(asked: &Asked, approved: bool) -> [String; 2] {
    let answer = if approved { "approved" } else { "denied" };
    match asked {
        Asked::Review {
            scheme, descriptor, ..
        } => {
            let review = format!("review shown: {}", review_kind(*scheme, *descriptor));
            [review, format!("review {answer}")]
        }
        Asked::Address { .. } => ["address shown".into(), format!("address {answer}")],
    }
}

fn review_kind(scheme: Scheme, descriptor: Descriptor) -> &'static str {
    match (scheme, descriptor) {
        (Scheme::Legacy, _) => "v1, single signer",
        (Scheme::Native, Descriptor::Single) => "v2, single signer",
        (Scheme::Native, Descriptor::Multisig(_)) => "v2, multisig member",
    }
}

/// Every state the report counts, in order.
pub fn states() -> Vec<String> {
    let mut out = vec![state(State::Idle), state(State::Receiving(0))];
    let mut n = 1;
    while n < DEVICE_BUFFER {
        out.push(state(State::Receiving(n)));
        n += CHUNK;
    }
    out.push(state(State::Receiving(DEVICE_BUFFER)));
    out.push(OVER_THE_BUFFER.into());
    for kind in [
        "v1, single signer",
        "v2, single signer",
        "v2, multisig member",
    ] {
        out.push(format!("review shown: {kind}"));
    }
    out.extend(["review approved", "review denied"].map(String::from));
    out.extend(["address shown", "address approved", "address denied"].map(String::from));
    out
}

/// What each command of the input reached, as report lines.
pub fn outcomes(data: &[u8]) -> Vec<String> {
    crate::reporter::collect(|report| crate::device::device_protocol_observed(data, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label a run reports is one of [`states`] (so the list and
    /// the report cannot drift apart), over the committed corpus; and the
    /// ranges of bytes received cover 1 to one under the buffer.
    #[test]
    fn state_list_is_complete() {
        let all = states();
        for input in crate::reporter::committed_corpus("device_protocol") {
            for label in outcomes(&input) {
                assert!(all.contains(&label), "{label:?} is not in the list");
            }
        }
        for n in 0..=DEVICE_BUFFER {
            let label = state(State::Receiving(n));
            assert!(all.contains(&label), "{label:?} is not in the list");
        }
        assert_eq!(state(State::Receiving(1)), "receiving 1 to 255 bytes");
        assert_eq!(state(State::Receiving(765)), "receiving 511 to 765 bytes");
        assert_eq!(
            state(State::Receiving(DEVICE_BUFFER - 1)),
            "receiving 1021 to 1023 bytes"
        );
    }
}
