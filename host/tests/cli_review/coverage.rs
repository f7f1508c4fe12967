//! Every field of a signed document, found in a review: values read from
//! the document (not the core's review code) and written as a review
//! writes them.

use serde_json::Value;
use tokensign_core::Address;

/// `units` in whole tokens of `decimals`, from the digits (independent of
/// the core's arithmetic).
pub fn whole(units: &str, decimals: usize) -> String {
    let padded = format!("{units:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    match frac.trim_end_matches('0') {
        "" => int.to_owned(),
        frac => format!("{int}.{frac}"),
    }
}

/// A text as a screen must show it: quoted, `\` doubled, every character
/// outside printable ASCII as `\u{HEX}`.
pub fn rendered(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The review's (label, value) pairs.
pub fn pairs(review: &Value) -> Vec<(String, String)> {
    review
        .as_array()
        .unwrap_or_else(|| panic!("no review array: {review}"))
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Checks that `review` shows every value of `doc` (see the module
/// documentation), in `decimals` when a unit is known.
pub fn assert_covers(review: &[(String, String)], doc: &Value, unit: Option<usize>, ctx: &str) {
    let has = |want: &str| review.iter().any(|(_, v)| v == want);
    let contains = |want: &str| review.iter().any(|(_, v)| v.contains(want));
    let mut leaves = Vec::new();
    fn walk<'v>(v: &'v Value, key: &'v str, out: &mut Vec<(&'v str, &'v Value)>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(a) if key != "public_key" => a.iter().for_each(|v| walk(v, key, out)),
            _ => out.push((key, v)),
        }
    }
    walk(doc, "", &mut leaves);
    for (key, value) in leaves {
        match (key, value) {
            ("operation", _) => {}
            ("chain_id", Value::Number(n)) => {
                let named = match n.as_u64() {
                    Some(1_212_101) => "1Money Testnet".to_owned(),
                    Some(21_210) => "1Money Mainnet".to_owned(),
                    _ => n.to_string(),
                };
                assert!(
                    review.contains(&("Chain".into(), named.clone())),
                    "{ctx}: chain {named} not shown: {review:?}"
                );
            }
            ("public_key", Value::Array(bytes)) => {
                let bytes: Vec<u8> = bytes.iter().map(|b| b.as_u64().unwrap() as u8).collect();
                let hex = format!("0x{}", hex::encode(bytes));
                assert!(has(&hex), "{ctx}: key {hex} not shown: {review:?}");
            }
            ("value" | "amount" | "escrow_fee", Value::String(units))
                if key != "value" || units.bytes().all(|b| b.is_ascii_digit()) =>
            {
                match unit {
                    None => assert!(has(units), "{ctx}: {key} {units} not shown: {review:?}"),
                    Some(d) => {
                        let at = review
                            .iter()
                            .position(|(l, v)| l.starts_with("Base units") && v == units)
                            .unwrap_or_else(|| {
                                panic!("{ctx}: base units {units} not shown: {review:?}")
                            });
                        let want = format!("{} USDX", whole(units, d));
                        assert_eq!(review[at - 1].1, want, "{ctx}: {key} in whole tokens");
                    }
                }
            }
            (
                "recipient" | "token" | "master_authority" | "authority_address" | "address"
                | "from" | "sender",
                Value::String(s),
            ) => {
                let eip55 = Address::parse(s).unwrap().to_string();
                assert!(
                    contains(&eip55),
                    "{ctx}: address {eip55} not shown: {review:?}"
                );
            }
            ("action" | "authority_type", Value::String(word)) => {
                assert!(has(word), "{ctx}: {word} not shown")
            }
            ("bridge_param", Value::String(hex)) => assert!(has(hex), "{ctx}: {hex} not shown"),
            (_, Value::String(text)) => {
                let shown = rendered(text);
                let at = review
                    .iter()
                    .position(|(_, v)| *v == shown)
                    .unwrap_or_else(|| panic!("{ctx}: {key} {shown} not shown: {review:?}"));
                let non_ascii = !text.bytes().all(|b| (b' '..=b'~').contains(&b));
                let warned = at > 0 && review[at - 1].0 == "Warning";
                assert_eq!(warned, non_ascii, "{ctx}: the warning before {key} {shown}");
                if warned {
                    assert_eq!(
                        review[at - 1].1,
                        format!("{} contains non-ASCII characters", review[at].0)
                    );
                }
            }
            (_, Value::Number(n)) => {
                assert!(
                    has(&n.to_string()),
                    "{ctx}: {key} {n} not shown: {review:?}"
                )
            }
            (_, Value::Bool(b)) => {
                assert!(has(if *b { "Yes" } else { "No" }), "{ctx}: {key} not shown")
            }
            other => panic!("{ctx}: unexpected leaf {other:?}"),
        }
    }
    assert_eq!(review.first().map(|p| p.0.as_str()), Some("Operation"));
    assert_eq!(review.last().map(|p| p.0.as_str()), Some("Signing scheme"));
}
