//! Whole-token amounts written from base units (`Amount::to_whole_tokens`).

use super::*;

fn whole(units: &str, decimals: u8) -> Option<std::string::String> {
    let a = Amount::parse(units).unwrap();
    a.to_whole_tokens(decimals).map(|w| w.as_str().into())
}

#[test]
fn known_answers() {
    for (units, decimals, text) in [
        ("1500000", 6, "1.5"),
        ("2000000", 6, "2"),
        ("1", 6, "0.000001"),
        ("0", 6, "0"),
        ("0", 0, "0"),
        ("1500000", 0, "1500000"),
        ("10", 1, "1"),
        ("1", 18, "0.000000000000000001"),
        ("1000000000000000000", 18, "1"),
        ("1000000000000000001", 18, "1.000000000000000001"),
        ("123456789", 4, "12345.6789"),
        ("120", 2, "1.2"),
        (
            "115792089237316195423570985008687907853269984665640564039457584007913129639935",
            18,
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
        ),
    ] {
        assert_eq!(
            whole(units, decimals).as_deref(),
            Some(text),
            "{units} at {decimals}"
        );
    }
    assert_eq!(whole("1", 19), None);
    let longest = Amount::MAX.to_whole_tokens(1).unwrap();
    assert_eq!(longest.as_str().len(), MAX_WHOLE_TOKENS_LEN);
}
