//! Amounts: parsing, canonical decimal, whole-token input, arithmetic.

use super::*;
use std::string::ToString;

const MAX_TEXT: &str =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

#[test]
fn parses_canonical_decimal_only() {
    assert_eq!(Amount::parse("0"), Ok(Amount::ZERO));
    assert_eq!(Amount::parse("10"), Ok(Amount::from_u64(10)));
    assert_eq!(Amount::parse(MAX_TEXT), Ok(Amount::MAX));
    assert_eq!(MAX_TEXT.len(), MAX_AMOUNT_DIGITS);
    let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    assert_eq!(Amount::parse(over), Err(AmountError::Overflow));
    assert_eq!(Amount::parse(&"9".repeat(79)), Err(AmountError::Overflow));
    assert_eq!(Amount::parse(""), Err(AmountError::Empty));
    assert_eq!(Amount::parse("007"), Err(AmountError::LeadingZero));
    assert_eq!(Amount::parse("00"), Err(AmountError::LeadingZero));
    for bad in ["-1", "+1", "1.5", "1e3", "0x10", " 1", "1 ", "١"] {
        assert_eq!(Amount::parse(bad), Err(AmountError::NotDecimal), "{bad}");
    }
}

#[test]
fn wire_forms_read_the_value() {
    let seven = Ok(Amount::from_u64(7));
    for text in ["7", "007", "0x7", "0X7", "0x0007", "0x07"] {
        assert_eq!(Amount::parse_wire(text), seven, "{text}");
    }
    assert_eq!(Amount::parse_wire("0"), Ok(Amount::ZERO));
    assert_eq!(Amount::parse_wire("000"), Ok(Amount::ZERO));
    assert_eq!(Amount::parse_wire("0x0"), Ok(Amount::ZERO));
    assert_eq!(
        Amount::parse_wire("0xdeadBEEF"),
        Ok(Amount::from_u64(0xdead_beef))
    );
    assert_eq!(Amount::parse_wire(MAX_TEXT), Ok(Amount::MAX));
    let zeros = std::format!("{}{MAX_TEXT}", "0".repeat(200));
    assert_eq!(Amount::parse_wire(&zeros), Ok(Amount::MAX));
    let hex_max = std::format!("0x{}", "f".repeat(64));
    assert_eq!(Amount::parse_wire(&hex_max), Ok(Amount::MAX));
    let hex_zeros = std::format!("0x{}{}", "0".repeat(100), "F".repeat(64));
    assert_eq!(Amount::parse_wire(&hex_zeros), Ok(Amount::MAX));
    let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    assert_eq!(Amount::parse_wire(over), Err(AmountError::Overflow));
    let hex_over = std::format!("0x1{}", "0".repeat(64));
    assert_eq!(Amount::parse_wire(&hex_over), Err(AmountError::Overflow));
    assert_eq!(Amount::parse_wire(""), Err(AmountError::Empty));
    assert_eq!(Amount::parse_wire("0x"), Err(AmountError::Empty));
    for bad in [
        "-1", "+1", "1.5", "1e3", " 1", "1 ", "1_0", "0o7", "0b1", "0x-1", "0xg", "00x1", "x1", "١",
    ] {
        assert_eq!(
            Amount::parse_wire(bad),
            Err(AmountError::NotDecimal),
            "{bad}"
        );
    }
}

#[test]
fn decimal_bytes_and_arithmetic() {
    assert_eq!(Amount::MAX.to_string(), MAX_TEXT);
    assert_eq!(Amount::ZERO.to_string(), "0");
    // Around the nine-digit chunks of the decimal form.
    for text in [
        "1",
        "9",
        "10",
        "999999999",
        "1000000000",
        "1000000001",
        "100000000000000000000000000000000000000",
        "18446744073709551616",
    ] {
        assert_eq!(Amount::parse(text).unwrap().to_string(), text);
    }
    let e18 = Amount::parse("1000000000000000000").unwrap();
    assert_eq!(e18, Amount::from_u64(1_000_000_000_000_000_000));
    assert_eq!(
        &e18.to_be_bytes()[24..],
        &0x0de0b6b3a7640000u64.to_be_bytes()
    );
    assert_eq!(Amount::from_be_bytes(e18.to_be_bytes()), e18);
    assert_eq!(Amount::MAX.checked_add(&Amount::from_u64(1)), None);
    assert_eq!(
        Amount::from_u64(u64::MAX).checked_add(&Amount::from_u64(1)),
        Some(Amount::from_u128(1u128 << 64))
    );
    assert_eq!(Amount::ZERO.checked_sub(&Amount::from_u64(1)), None);
    assert_eq!(
        Amount::from_u128(1u128 << 64).checked_sub(&Amount::from_u64(1)),
        Some(Amount::from_u64(u64::MAX))
    );
    assert!(Amount::from_u128(1u128 << 64) > Amount::from_u64(u64::MAX));
    assert_eq!(Amount::from_u128(u128::MAX).to_u128(), Some(u128::MAX));
    assert_eq!(Amount::MAX.to_u128(), None);
}

#[test]
fn whole_tokens_convert_exactly() {
    let whole = |t: &str, d: u8| Amount::from_whole(t, d).map(|a| a.to_string());
    assert_eq!(whole("12.5", 6).as_deref(), Ok("12500000"));
    assert_eq!(whole("0.000001", 6).as_deref(), Ok("1"));
    assert_eq!(whole("007", 2).as_deref(), Ok("700"));
    assert_eq!(whole(".5", 1).as_deref(), Ok("5"));
    assert_eq!(whole("5.", 0).as_deref(), Ok("5"));
    assert_eq!(whole("1.50", 1).as_deref(), Ok("15"));
    assert_eq!(whole("0", 18).as_deref(), Ok("0"));
    // 0.1 + 0.2 is exact here, unlike in a float.
    assert_eq!(whole("0.3", 18).as_deref(), Ok("300000000000000000"));
    assert_eq!(whole(MAX_TEXT, 0).as_deref(), Ok(MAX_TEXT));
    // Beyond u128, and beyond 2^53 where a float would round.
    assert_eq!(
        whole("123456789012345678901", 18).as_deref(),
        Ok("123456789012345678901000000000000000000")
    );
    assert_eq!(
        whole("18446744073709551617", 0).as_deref(),
        Ok("18446744073709551617")
    );
    // Any decimals up to 255, exactly.
    assert_eq!(whole("0", 255).as_deref(), Ok("0"));
    assert_eq!(
        Amount::from_whole("1", 77),
        Ok(Amount::parse(&std::format!("1{}", "0".repeat(77))).unwrap())
    );
}

#[test]
fn whole_token_refusals_are_typed() {
    assert_eq!(
        Amount::from_whole("1.234", 2),
        Err(WholeAmountError::TooPrecise {
            digits: 3,
            decimals: 2
        })
    );
    assert_eq!(Amount::from_whole("", 6), Err(WholeAmountError::Empty));
    assert_eq!(Amount::from_whole(".", 6), Err(WholeAmountError::Empty));
    for bad in ["-1", "+1", "1e3", "1.2.3", " 1", "1 ", "0x10", "1,5", "١"] {
        assert_eq!(
            Amount::from_whole(bad, 6),
            Err(WholeAmountError::NotDecimal),
            "{bad}"
        );
    }
    assert_eq!(
        Amount::from_whole(MAX_TEXT, 1),
        Err(WholeAmountError::Overflow)
    );
    assert_eq!(Amount::from_whole("1", 78), Err(WholeAmountError::Overflow));
    assert_eq!(
        Amount::from_whole("1", 255),
        Err(WholeAmountError::Overflow)
    );
    let e = WholeAmountError::TooPrecise {
        digits: 3,
        decimals: 2,
    }
    .to_string();
    assert!(
        e.contains("3 fractional digits") && e.contains("2 decimals"),
        "{e}"
    );
}

proptest::proptest! {
    #[test]
    fn decimal_round_trip(bytes in proptest::prelude::any::<[u8; 32]>(), zeros in 0usize..4) {
        let a = Amount::from_be_bytes(bytes);
        let text = a.to_string();
        proptest::prop_assert_eq!(Amount::parse(&text), Ok(a));
        proptest::prop_assert_eq!(a.to_be_bytes(), bytes);
        // Every wire form of the value reads back to it.
        let padded = std::format!("{}{text}", "0".repeat(zeros));
        proptest::prop_assert_eq!(Amount::parse_wire(&padded), Ok(a));
        let hex = std::format!("0x{}{}", "0".repeat(zeros), hex::encode(bytes));
        proptest::prop_assert_eq!(Amount::parse_wire(&hex), Ok(a));
    }

    #[test]
    fn matches_u128(x in proptest::prelude::any::<u128>(), y in proptest::prelude::any::<u128>()) {
        let (a, b) = (Amount::from_u128(x), Amount::from_u128(y));
        proptest::prop_assert_eq!(a.to_string(), x.to_string());
        proptest::prop_assert_eq!(a.cmp(&b), x.cmp(&y));
        let sum = a.checked_add(&b).unwrap();
        proptest::prop_assert_eq!(sum.to_u128(), x.checked_add(y));
        proptest::prop_assert_eq!(sum.checked_sub(&b), Some(a));
        proptest::prop_assert_eq!(a.checked_sub(&b).is_some(), x >= y);
    }

    #[test]
    fn whole_matches_u128_arithmetic(whole in 0u64.., fraction in 0u32..1_000_000, decimals in 6u8..=18) {
        let text = std::format!("{whole}.{fraction:06}");
        let expected = u128::from(whole) * 10u128.pow(u32::from(decimals))
            + u128::from(fraction) * 10u128.pow(u32::from(decimals) - 6);
        proptest::prop_assert_eq!(Amount::from_whole(&text, decimals), Ok(Amount::from_u128(expected)));
    }
}
