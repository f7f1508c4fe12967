//! Writes: the submit of a signed request (any operation's path), with the
//! answer checked against what was signed, and the ABC-Lab mint.
//!
//! The body is the exact byte string the signer's request was written as;
//! a retry sends the same bytes. After an attempt whose outcome is
//! ambiguous (the request may have reached the server: a timeout after
//! sending, a 5xx, a reset connection), the transaction is looked up by its
//! hash before a failure is reported.

use std::time::Instant;

use tokensign_core::Address;

use super::{Client, ClientError, Lookup, RestError, TransportError, LOOKUP_GRACE};
use crate::api::{HashAnswer, HashTokenAnswer, MintRequest, MintSuccess};
use crate::show::{hex0x, parse_hex32, sanitize};

/// What the answer to a write must say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The locally computed transaction hash.
    pub tx_hash: [u8; 32],
    /// The locally derived token address, for a token issue (whose answer
    /// is `{hash, token}`); `None` for every other operation (`{hash}`).
    pub token: Option<Address>,
}

/// A write the server accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The transaction hash (checked equal to the local one).
    pub tx_hash: [u8; 32],
    /// The token address, for an issue (checked equal to the local one).
    pub token: Option<Address>,
    /// True when the answer was lost and a look-up by hash found the
    /// transaction.
    pub confirmed_by_lookup: bool,
    /// Attempts made.
    pub attempts: u32,
}

impl Client<'_> {
    /// Submits a signed request body to `path` and checks the answer
    /// against `expected`.
    ///
    /// `body` is sent unchanged on every attempt. Connection failures, 408
    /// and 5xx are retried within the policy and the total budget. After an
    /// ambiguous attempt, a look-up by hash decides: found is success.
    pub fn submit(
        &self,
        path: &str,
        body: &[u8],
        expected: &Expected,
    ) -> Result<Submitted, ClientError> {
        let attempts = self.config.retry.attempts.max(1);
        let mut maybe_arrived = false;
        let mut refused = false;
        let mut last = String::new();
        let mut made = 0;
        let found = |attempts| Submitted {
            tx_hash: expected.tx_hash,
            token: expected.token,
            confirmed_by_lookup: true,
            attempts,
        };
        for attempt in 0..attempts {
            self.pause(attempt, self.deadline);
            if attempt > 0 && self.left(self.deadline).is_zero() {
                last = format!("{last}; {}", self.budget_spent());
                break;
            }
            made += 1;
            let answer = self.exchange_by(
                "POST",
                path,
                Some(body),
                self.deadline,
                (attempt + 1, attempts),
            );
            refused = matches!(answer, Err(TransportError::NoListener(_)));
            match answer {
                Ok((status, answer)) if (200..300).contains(&status) && has_hash(&answer) => {
                    return check_answer(&answer, expected).map(|()| Submitted {
                        tx_hash: expected.tx_hash,
                        token: expected.token,
                        confirmed_by_lookup: false,
                        attempts: made,
                    })
                }
                Ok((status, _)) if (200..300).contains(&status) => {
                    // Spec 7.3: a 2xx without a `hash` is an unknown
                    // outcome. Look the transaction up; never resend.
                    maybe_arrived = true;
                    last = format!("HTTP {status} without a transaction hash in the answer");
                    break;
                }
                Ok((408, answer)) => {
                    // The node's request timeout can fire after admission.
                    maybe_arrived = true;
                    last = RestError::from_response(408, &answer).to_string();
                }
                Ok((status, answer)) if status >= 500 => {
                    maybe_arrived = true;
                    last = RestError::from_response(status, &answer).to_string();
                }
                Ok((status, answer)) => {
                    let error = RestError::from_response(status, &answer);
                    // An earlier attempt may have been accepted; this one
                    // may then be refused as a duplicate. Look first.
                    if maybe_arrived {
                        if let Ok(Lookup::Found(_)) = self.lookup(&expected.tx_hash) {
                            return Ok(found(made));
                        }
                    }
                    return Err(ClientError::Refused {
                        what: "the server rejected the request".into(),
                        error,
                    });
                }
                Err(TransportError::NotSent(why) | TransportError::NoListener(why)) => last = why,
                Err(TransportError::MaybeSent(why)) => {
                    maybe_arrived = true;
                    last = why;
                }
            }
        }
        let plural = if made == 1 { "" } else { "s" };
        if !maybe_arrived {
            let message = format!(
                "could not deliver the request to {} after {made} attempt{plural}: {last}. \
                 It did not arrive; it is safe to send again.",
                self.shown
            );
            return Err(if refused {
                ClientError::NoListener(message)
            } else {
                ClientError::NotDelivered(message)
            });
        }
        let deadline = self.deadline.max(Instant::now() + LOOKUP_GRACE);
        match self.lookup_until(&expected.tx_hash, deadline) {
            Ok(Lookup::Found(_)) => Ok(found(made)),
            Ok(Lookup::NotFound) => Err(ClientError::UnknownOutcome(format!(
                "OUTCOME UNKNOWN: after {made} attempt{plural} the last error was: {last}. \
                 The request may have reached the server; a look-up of transaction {} \
                 found nothing yet. Look it up again (GET /v1/transactions/by_hash) \
                 before sending anything again.",
                hex0x(&expected.tx_hash)
            ))),
            Err(e) => Err(ClientError::UnknownOutcome(format!(
                "OUTCOME UNKNOWN: after {made} attempt{plural} the last error was: {last}. \
                 The request may have reached the server, and the look-up of transaction {} \
                 failed too ({e}). Look it up before sending anything again.",
                hex0x(&expected.tx_hash)
            ))),
        }
    }

    /// `POST /api/tokens/mint` (ABC-Lab). Retries only failures where the
    /// request cannot have arrived, so a mint is never sent twice.
    pub fn mint(&self, request: &MintRequest) -> Result<MintSuccess, ClientError> {
        let bytes = serde_json::to_vec(request).map_err(|e| ClientError::Encode(e.to_string()))?;
        let attempts = self.config.retry.attempts.max(1);
        let mut last = String::new();
        let mut made = 0;
        for attempt in 0..attempts {
            self.pause(attempt, self.deadline);
            if attempt > 0 && self.left(self.deadline).is_zero() {
                last = format!("{last}; {}", self.budget_spent());
                break;
            }
            made += 1;
            match self.exchange_by(
                "POST",
                "/api/tokens/mint",
                Some(&bytes),
                self.deadline,
                (attempt + 1, attempts),
            ) {
                Ok((status, answer)) if (200..300).contains(&status) => {
                    return serde_json::from_slice(&answer).map_err(|_| {
                        ClientError::UnknownOutcome(format!(
                            "OUTCOME UNKNOWN: the mint answered HTTP {status} but its body is not \
                             a mint result (status, token_id, asset_id, amount, assigned_to)"
                        ))
                    })
                }
                Ok((status, answer)) => {
                    let error = RestError::from_response(status, &answer);
                    let what = "the server refused the mint".to_owned();
                    return Err(if status >= 500 {
                        ClientError::ServerFailed { what, error }
                    } else {
                        ClientError::Refused { what, error }
                    });
                }
                Err(TransportError::NotSent(why) | TransportError::NoListener(why)) => last = why,
                Err(TransportError::MaybeSent(why)) => {
                    return Err(ClientError::UnknownOutcome(format!(
                        "OUTCOME UNKNOWN: the mint request may have reached the server: {why}"
                    )))
                }
            }
        }
        Err(ClientError::NotDelivered(format!(
            "could not deliver the mint request to {} after {made} attempt{}: {last}",
            self.shown,
            if made == 1 { "" } else { "s" }
        )))
    }
}

/// Whether a 2xx answer carries a string `hash` (what spec 7.3 calls
/// submitted, whether or not it is the expected one).
fn has_hash(answer: &[u8]) -> bool {
    serde_json::from_slice::<HashAnswer>(answer).is_ok()
}

/// Checks a 200 answer against the local values: `{hash}`, plus `token`
/// for an issue.
fn check_answer(answer: &[u8], expected: &Expected) -> Result<(), ClientError> {
    let (hash, token) = match serde_json::from_slice::<HashTokenAnswer>(answer) {
        Ok(a) => (Some(a.hash), Some(a.token)),
        Err(_) => (
            serde_json::from_slice::<HashAnswer>(answer)
                .ok()
                .map(|a| a.hash),
            None,
        ),
    };
    let hash_ok = hash.as_deref().and_then(parse_hex32) == Some(expected.tx_hash);
    let token_ok = match expected.token {
        None => true,
        Some(want) => token
            .as_deref()
            .and_then(|t| Address::parse(t).ok())
            .is_some_and(|t| t == want),
    };
    if hash_ok && token_ok {
        return Ok(());
    }
    let show = |v: Option<String>| v.map_or("(missing)".to_owned(), |s| sanitize(&s));
    Err(ClientError::AnswerMismatch {
        expected_hash: hex0x(&expected.tx_hash),
        server_hash: show(hash),
        expected_token: expected.token.map(|t| t.to_string()),
        server_token: expected.token.map(|_| show(token)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_field_by_field() {
        let hash = [7u8; 32];
        let token = Address([9u8; 20]);
        let issue = Expected {
            tx_hash: hash,
            token: Some(token),
        };
        let good = format!(
            r#"{{"hash":"{}","token":"{token}"}}"#,
            hex0x(&hash).to_uppercase().replace("0X", "0x")
        );
        assert_eq!(check_answer(good.as_bytes(), &issue), Ok(()));
        let e = check_answer(
            format!(r#"{{"hash":"{}"}}"#, hex0x(&hash)).as_bytes(),
            &issue,
        )
        .unwrap_err();
        assert!(e.to_string().contains("server token   (missing)"), "{e}");
        let payment = Expected {
            tx_hash: hash,
            token: None,
        };
        assert_eq!(
            check_answer(
                format!(r#"{{"hash":"{}"}}"#, hex0x(&hash)).as_bytes(),
                &payment
            ),
            Ok(())
        );
        let e = check_answer(b"{}", &payment).unwrap_err();
        assert!(matches!(e, ClientError::AnswerMismatch { .. }));
        assert!(!e.to_string().contains("token"), "{e}");
    }
}
