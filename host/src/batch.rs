//! Signing many payloads at once: a JSON-lines input, one signed request
//! per line out, in input order, on every core.
//!
//! Each line is independent (parse, sign, write: all the core's), so the
//! lines are split into one contiguous share per worker thread and the
//! results joined in order. A device signer serialises on its connection;
//! a key signer runs on all cores.

use std::num::NonZeroUsize;
use std::thread;

use tokensign_core::json::{self as core_json, MAX_JSON_INPUT_LEN, MAX_LEGACY_JSON_LEN};
use tokensign_core::tx::{OpType, Transaction};

use crate::input::describe_core_error;
use crate::input::Document;
use crate::signer::{sign_legacy, Signer};

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

/// A line's number and its request body or refusal.
type LineResult = (usize, Result<Vec<u8>, String>);

fn sign_line(text: &[u8], signer: &dyn Signer) -> Result<Vec<u8>, String> {
    if text.len() > MAX_JSON_INPUT_LEN {
        return Err(format!("line longer than {MAX_JSON_INPUT_LEN} bytes"));
    }
    let payload: Transaction =
        core_json::parse_unsigned(OpType::TokenIssue, text).map_err(|e| {
            format!(
                "invalid payload: {}",
                describe_core_error(e, Document::Payload)
            )
        })?;
    let request = sign_legacy(signer, payload).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; MAX_LEGACY_JSON_LEN];
    let n = core_json::write_legacy(&request, &mut buf).map_err(|e| e.to_string())?;
    Ok(buf.get(..n).unwrap_or_default().to_vec())
}

/// Signs every non-blank line of `input` (a JSON-lines file of unsigned
/// payloads) with `threads` workers. Returns the request bodies in input
/// order, or every refused line (then nothing is output).
pub fn sign_lines(
    input: &[u8],
    signer: &dyn Signer,
    threads: usize,
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
                        .map(|(n, text)| (*n, sign_line(text, signer)))
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

    fn payload(nonce: u64) -> String {
        tokensign_fixtures::spec_payload7_json(nonce).replace("TEST", &format!("S{nonce}"))
    }

    #[test]
    fn order_is_kept_and_threads_do_not_change_the_output() {
        let input: String = (0..101).map(|n| payload(n) + "\n").collect::<String>() + "\n  \n";
        let signer = KeySigner::dev();
        let one = sign_lines(input.as_bytes(), &signer, 1).unwrap();
        let many = sign_lines(input.as_bytes(), &signer, 4).unwrap();
        assert_eq!(one.len(), 101);
        assert_eq!(one, many);
        for (n, body) in many.iter().enumerate() {
            let request = core_json::parse_legacy::<256, 32>(OpType::TokenIssue, body).unwrap();
            assert_eq!(request.tx.nonce, n as u64);
            assert_eq!(request.signer().unwrap(), signer.address());
        }
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
        let errors = sign_lines(input.as_bytes(), &KeySigner::dev(), 2).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert!(errors[1].message.contains("alphanumeric"), "{errors:?}");
        assert!(
            errors[2].message.contains("unknown field `colour`"),
            "{errors:?}"
        );
    }
}
