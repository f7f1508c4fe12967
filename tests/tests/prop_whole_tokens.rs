//! Whole tokens are exact: for every decimals value from 0 to 18 and any
//! U256 (random, and the edges: 0, 1, powers of ten and their neighbours,
//! the limb boundaries, 2^256-1), `Amount::to_whole_tokens` equals a
//! formatter built on an independent big integer (alloy's `U256`:
//! quotient and remainder by 10^decimals), reads back to the same number
//! of base units, and agrees with the review tests' digit-only formatter
//! (`tokensign_tests::pages::whole_tokens`).

use alloy_primitives::U256;
use proptest::prelude::*;
use tokensign_core::amount::{Amount, MAX_WHOLE_TOKENS_LEN, MAX_WHOLE_TOKEN_DECIMALS};
use tokensign_tests::config;
use tokensign_tests::pages::whole_tokens;

/// The oracle: `x / 10^d`, then `.` and `x % 10^d` padded to `d` digits
/// with its trailing zeros removed, if it is not zero.
fn oracle(x: U256, decimals: u8) -> String {
    let scale = U256::from(10u64).pow(U256::from(decimals));
    let (int, frac) = x.div_rem(scale);
    if frac.is_zero() {
        return int.to_string();
    }
    let frac = format!("{frac:0>width$}", width = usize::from(decimals));
    format!("{int}.{}", frac.trim_end_matches('0'))
}

/// Reads a whole-token text back into base units, with the same oracle.
fn back(text: &str, decimals: u8) -> U256 {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(
        frac.len() <= usize::from(decimals),
        "{text}: too many decimals"
    );
    assert!(!frac.ends_with('0'), "{text}: a trailing zero");
    assert!(
        int == "0" || !int.starts_with('0'),
        "{text}: a leading zero"
    );
    let scale = U256::from(10u64).pow(U256::from(decimals));
    let int = U256::from_str_radix(int, 10).expect("integer part");
    let frac = if frac.is_empty() {
        U256::ZERO
    } else {
        let pad = U256::from(10u64).pow(U256::from(usize::from(decimals) - frac.len()));
        U256::from_str_radix(frac, 10).expect("fraction") * pad
    };
    int * scale + frac
}

fn check(x: U256) -> Result<(), TestCaseError> {
    let amount = Amount::from_be_bytes(x.to_be_bytes());
    for decimals in 0..=MAX_WHOLE_TOKEN_DECIMALS {
        let whole = amount.to_whole_tokens(decimals).expect("decimals in range");
        let text = whole.as_str();
        prop_assert_eq!(text, oracle(x, decimals), "{} at {} decimals", x, decimals);
        prop_assert_eq!(back(text, decimals), x);
        prop_assert_eq!(text, whole_tokens(&x.to_string(), decimals));
        prop_assert!(text.len() <= MAX_WHOLE_TOKENS_LEN);
    }
    prop_assert!(amount
        .to_whole_tokens(MAX_WHOLE_TOKEN_DECIMALS + 1)
        .is_none());
    Ok(())
}

/// 0, 1, 10^k and 10^k ± 1, 2^k and 2^k ± 1 (the limbs), 2^256-1.
fn edges() -> Vec<U256> {
    let mut out = vec![
        U256::ZERO,
        U256::from(1u64),
        U256::MAX,
        U256::MAX - U256::from(1u64),
    ];
    let ten = U256::from(10u64);
    for k in 0..=77u64 {
        let p = ten.pow(U256::from(k));
        out.extend([p, p + U256::from(1u64), p - U256::from(1u64)]);
        // 1.5 tokens at every scale, and 1.000…01.
        out.push(p * U256::from(15u64));
        out.push(p * ten + U256::from(1u64));
    }
    for k in 1..256usize {
        let p = U256::from(1u64) << k;
        out.extend([p, p - U256::from(1u64), p + U256::from(1u64)]);
    }
    out
}

#[test]
fn exact_at_the_edges() {
    for x in edges() {
        check(x).unwrap_or_else(|e| panic!("{x}: {e}"));
    }
}

#[test]
fn examples() {
    let a = Amount::from_u64(1_500_000);
    assert_eq!(a.to_whole_tokens(6).unwrap().as_str(), "1.5");
    assert_eq!(a.to_whole_tokens(0).unwrap().as_str(), "1500000");
    assert_eq!(a.to_whole_tokens(18).unwrap().as_str(), "0.0000000000015");
}

proptest! {
    #![proptest_config(config("prop_whole_tokens", 512))]

    #[test]
    fn exact_for_any_u256(bytes in any::<[u8; 32]>()) {
        check(U256::from_be_bytes(bytes))?;
    }

    #[test]
    fn exact_for_small_amounts(x in any::<u64>()) {
        check(U256::from(x))?;
    }
}
