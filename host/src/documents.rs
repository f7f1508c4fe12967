//! Signing documents, the JSON a person writes to have a transaction
//! signed offline (`tokensign sign`): one, or a JSON-lines input (one
//! signing document of any operation per line, `sign --lines`) with one
//! signed request per line out, in input order, on every core.
//!
//! Each line is independent (parse, sign, write: all the core's), so the
//! lines are split into one contiguous share per worker thread and the
//! results joined in order. A device signer serialises on its connection;
//! a key signer runs on all cores.

use std::num::NonZeroUsize;
use std::thread;

use tokensign_core::json::{self as core_json, MAX_JSON_INPUT_LEN};
use tokensign_core::tx::Transaction;
use tokensign_core::Scheme;

use crate::input::{closest_operation, describe_core_error, Document};
use crate::signer::{SignedRequest, Signer};

/// One refused input line: its 1-based number and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the input.
    pub line: usize,
    /// What was wrong (the core's message; never a secret).
    pub message: String,
}

/// The worker count for this machine (at least 1).
pub fn default_threads() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// The scheme `sign` uses for a document when none is forced: legacy v1
/// for a document without `"operation"` (a token-issue payload, as before
/// the other operations existed), native v2 for every other.
pub fn default_scheme(has_operation: bool) -> Scheme {
    if has_operation {
        Scheme::Native
    } else {
        Scheme::Legacy
    }
}

/// Whether a JSON document names its operation (a top-level
/// `"operation"` member).
pub fn has_operation(text: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        operation: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(text).is_ok_and(|p| p.operation.is_some())
}

/// The document's `"operation"` text, if it has one.
fn operation_name(text: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        operation: Option<String>,
    }
    serde_json::from_slice::<Probe>(text).ok()?.operation
}

/// A line's number and its request body or refusal.
type LineResult = (usize, Result<Vec<u8>, String>);

/// Parses one signing document (any operation): its transaction, and the
/// scheme to sign it in: `scheme`, else the document's default.
pub fn parse(text: &[u8], scheme: Option<Scheme>) -> Result<(Transaction, Scheme), String> {
    let named = has_operation(text);
    let tx: Transaction = core_json::parse_document(text).map_err(|e| {
        let doc = if named {
            Document::Signing
        } else {
            Document::Payload
        };
        let suggestion = match e {
            tokensign_core::Error::UnknownOperation => operation_name(text)
                .and_then(|name| closest_operation(&name))
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default(),
            _ => String::new(),
        };
        format!(
            "invalid payload: {}{suggestion}",
            describe_core_error(e, doc)
        )
    })?;
    Ok((tx, scheme.unwrap_or(default_scheme(named))))
}

/// Parses one signing document (any operation) and signs it in `scheme`
/// (or the document's default scheme).
pub fn sign_document(
    text: &[u8],
    signer: &dyn Signer,
    scheme: Option<Scheme>,
) -> Result<SignedRequest, String> {
    let (tx, scheme) = parse(text, scheme)?;
    SignedRequest::sign(signer, tx, scheme).map_err(|e| e.to_string())
}

fn sign_line(text: &[u8], signer: &dyn Signer, scheme: Option<Scheme>) -> Result<Vec<u8>, String> {
    if text.len() > MAX_JSON_INPUT_LEN {
        return Err(format!("line longer than {MAX_JSON_INPUT_LEN} bytes"));
    }
    sign_document(text, signer, scheme)?
        .body()
        .map_err(|e| e.to_string())
}

/// Signs every non-blank line of `input` (a JSON-lines file of signing
/// documents) with `threads` workers, in `scheme` (or each document's
/// default). Returns the request bodies in input order, or every refused
/// line (then nothing is output).
pub fn sign_lines(
    input: &[u8],
    signer: &dyn Signer,
    threads: usize,
    scheme: Option<Scheme>,
) -> Result<Vec<Vec<u8>>, Vec<LineError>> {
    let lines: Vec<(usize, &[u8])> = input
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    let threads = threads.clamp(1, lines.len().max(1));
    let share = lines.len().div_ceil(threads).max(1);
    let results: Vec<Vec<LineResult>> = thread::scope(|scope| {
        let workers: Vec<_> = lines
            .chunks(share)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(n, text)| (*n, sign_line(text, signer, scheme)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec![(0, Err("a signing worker failed".to_owned()))])
            })
            .collect()
    });
    let mut out = Vec::with_capacity(lines.len());
    let mut errors = Vec::new();
    for (line, result) in results.into_iter().flatten() {
        match result {
            Ok(body) => out.push(body),
            Err(message) => errors.push(LineError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signer::KeySigner;
    use tokensign_core::tx::OpType;

    fn payload(nonce: u64) -> String {
        tokensign_fixtures::spec_payload7_json(nonce).replace("TEST", &format!("S{nonce}"))
    }

    fn payment(nonce: u64) -> String {
        format!(
            r#"{{"operation":"Payment","chain_id":1212101,"nonce":{nonce},"recipient":"0x0202020202020202020202020202020202020202","value":"{nonce}","token":"0x0101010101010101010101010101010101010101"}}"#
        )
    }

    #[test]
    fn order_is_kept_and_threads_do_not_change_the_output() {
        let input: String = (0..101)
            .map(|n| if n % 2 == 0 { payload(n) } else { payment(n) } + "\n")
            .collect::<String>()
            + "\n  \n";
        let signer = KeySigner::dev();
        let one = sign_lines(input.as_bytes(), &signer, 1, None).unwrap();
        let many = sign_lines(input.as_bytes(), &signer, 4, None).unwrap();
        assert_eq!(one.len(), 101);
        assert_eq!(one, many);
        for (n, body) in many.iter().enumerate() {
            let nonce = if n % 2 == 0 {
                // No "operation": a v1 token issue, as before.
                let request = core_json::parse_legacy::<256, 32>(OpType::TokenIssue, body).unwrap();
                assert_eq!(request.signer().unwrap(), signer.address());
                request.tx.nonce
            } else {
                // A named operation: v2 by default.
                let request = core_json::parse_native::<256, 32>(OpType::Payment, body).unwrap();
                assert_eq!(request.sender().unwrap(), signer.address());
                request.tx.nonce
            };
            assert_eq!(nonce, n as u64);
        }
        // Forced v1: the payments are legacy too.
        let v1 = sign_lines(payment(3).as_bytes(), &signer, 2, Some(Scheme::Legacy)).unwrap();
        assert!(core_json::parse_legacy::<256, 32>(OpType::Payment, &v1[0]).is_ok());
    }

    #[test]
    fn every_bad_line_is_reported_and_nothing_is_output() {
        let input = format!(
            "{}\nnot json\n{}\r\n{}\n",
            payload(0),
            payload(1),
            payload(2).replace("S2", "S-2")
        );
        let input = format!("{input}{}\n", payload(3).replace("{", "{\"colour\":1,"));
        let input = format!(
            "{input}{}\n",
            payment(4).replace("\"Payment\"", "\"BatchPayment\"")
        );
        let errors = sign_lines(input.as_bytes(), &KeySigner::dev(), 2, None).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5, 6]);
        assert!(errors[1].message.contains("alphanumeric"), "{errors:?}");
        assert!(
            errors[2].message.contains("unknown field `colour`"),
            "{errors:?}"
        );
        // A v2-only operation forced to v1 is refused with the reason.
        let e = sign_lines(
            payment(1)
                .replace("\"Payment\"", "\"BatchPayment\"")
                .as_bytes(),
            &KeySigner::dev(),
            1,
            Some(Scheme::Legacy),
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
    }
}
