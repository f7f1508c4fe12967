//! Whether two JSON documents hold the same values, read by `serde_json`.

use serde_json::Value;

/// How a body the core accepted may differ from the body it writes back.
#[derive(Clone, Copy, Debug, Default)]
pub struct Normalized {
    /// A document without `operation` is a TokenIssue (written with it).
    pub operation: Option<&'static str>,
    /// A v2 TokenIssue without `clawback_enabled` is written with `true`.
    pub clawback_true: bool,
}

/// Asserts that `input` (a body the core accepted) and `written` (what the
/// core wrote for the value it read) hold the same values when both are
/// read by `serde_json`, an independent strict parser: the same members,
/// strings equal once decoded (addresses and hex in any case, signature
/// scalars with any leading zeros, U256 amounts by value: the network
/// reads decimal with leading zeros and `0x`-hex, spec 2.3, and the core
/// writes canonical decimal), `null` the same as absent. Both must be
/// JSON.
pub fn assert_json_equivalent(input: &[u8], written: &[u8], normalized: Normalized) {
    let read = |bytes: &[u8], what: &str| -> Value {
        serde_json::from_slice(bytes).unwrap_or_else(|e| {
            panic!(
                "the core {what} a document that is not JSON ({e}): {:?}",
                String::from_utf8_lossy(bytes)
            )
        })
    };
    let mut input_value = read(input, "accepted");
    let written_value = read(written, "wrote");
    let object = input_value
        .as_object_mut()
        .expect("an accepted body is an object");
    if let Some(name) = normalized.operation {
        object
            .entry("operation")
            .or_insert_with(|| Value::from(name));
    }
    if normalized.clawback_true {
        let entry = object
            .entry("clawback_enabled")
            .or_insert(Value::Bool(true));
        if entry.is_null() {
            *entry = Value::Bool(true);
        }
    }
    if let Err(path) = equivalent(&input_value, &written_value, "") {
        panic!(
            "read and written bodies differ at `{path}`:\n  read:    {}\n  written: {}",
            String::from_utf8_lossy(input),
            String::from_utf8_lossy(written)
        );
    }
}

fn strip_0x(text: &str) -> Option<&str> {
    text.strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A U256 read per spec 2.3 (decimal digits, leading zeros allowed, or
/// `0x` + hex digits), as canonical decimal digits; `None` if it is
/// neither. No bound: only equality matters here.
fn u256_decimal(text: &str) -> Option<String> {
    let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (text, 10),
    };
    if digits.is_empty() {
        return None;
    }
    // Little-endian base-10 digits of the value so far.
    let mut value: Vec<u32> = vec![0];
    for c in digits.chars() {
        let mut carry = c.to_digit(radix)?;
        for d in value.iter_mut() {
            let t = *d * radix + carry;
            *d = t % 10;
            carry = t / 10;
        }
        while carry > 0 {
            value.push(carry % 10);
            carry /= 10;
        }
    }
    while value.len() > 1 && value.last() == Some(&0) {
        value.pop();
    }
    Some(
        value
            .iter()
            .rev()
            .map(|d| char::from(b'0' + *d as u8))
            .collect(),
    )
}

/// Whether the member at `path` (named `key`) is a U256 amount of an
/// operation (not a metadata entry's `value`, which is text).
fn is_amount(path: &str, key: &str) -> bool {
    matches!(key, "value" | "amount" | "escrow_fee") && !path.contains("additional_metadata")
}

fn equivalent(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    let key = path.rsplit('.').next().unwrap_or("");
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let present = |o: &serde_json::Map<String, Value>| -> Vec<String> {
                let mut keys: Vec<String> = o
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, _)| k.clone())
                    .collect();
                keys.sort();
                keys
            };
            if present(x) != present(y) {
                return Err(format!(
                    "{path} (members {:?} / {:?})",
                    present(x),
                    present(y)
                ));
            }
            for (k, v) in x.iter().filter(|(_, v)| !v.is_null()) {
                equivalent(v, &y[k], &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (v, w))| equivalent(v, w, &format!("{path}[{i}]"))),
        (Value::String(x), Value::String(y)) => {
            let same = x == y
                || (is_amount(path, key)
                    && u256_decimal(x).is_some_and(|v| Some(v) == u256_decimal(y)))
                || match (strip_0x(x), strip_0x(y)) {
                    (Some(dx), Some(dy)) if key == "r" || key == "s" => dx
                        .trim_start_matches('0')
                        .eq_ignore_ascii_case(dy.trim_start_matches('0')),
                    (Some(dx), Some(dy)) => dx.eq_ignore_ascii_case(dy),
                    _ => false,
                };
            if same {
                Ok(())
            } else {
                Err(path.to_string())
            }
        }
        _ if a == b => Ok(()),
        _ => Err(path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u256_forms_compare_by_value() {
        for (a, b) in [
            ("7", "7"),
            ("007", "7"),
            ("0x7", "7"),
            ("0X0007", "7"),
            ("0xff", "255"),
        ] {
            assert_eq!(u256_decimal(a), u256_decimal(b), "{a} {b}");
        }
        assert_eq!(u256_decimal("0"), Some("0".into()));
        assert_eq!(u256_decimal("0x0"), Some("0".into()));
        assert_eq!(
            u256_decimal(&format!("0x{}", "f".repeat(64))).as_deref(),
            Some("115792089237316195423570985008687907853269984665640564039457584007913129639935")
        );
        for bad in ["", "0x", "-1", "1e3", "0xg", " 1"] {
            assert_eq!(u256_decimal(bad), None, "{bad}");
        }
        let body = |v: &str| {
            format!(r#"{{"value":"{v}","additional_metadata":[{{"key":"k","value":"{v}"}}]}}"#)
        };
        // An amount is compared by value; a metadata value stays text.
        let read = br#"{"value":"007","additional_metadata":[{"key":"k","value":"7"}]}"#;
        assert_json_equivalent(read, body("7").as_bytes(), Normalized::default());
        let changed = std::panic::catch_unwind(|| {
            assert_json_equivalent(
                body("007").as_bytes(),
                body("7").as_bytes(),
                Normalized::default(),
            )
        });
        assert!(changed.is_err(), "a metadata text compared by value");
        let other = std::panic::catch_unwind(|| {
            assert_json_equivalent(
                br#"{"value":"0x8"}"#,
                br#"{"value":"7"}"#,
                Normalized::default(),
            )
        });
        assert!(other.is_err(), "different values compared equal");
    }
}
