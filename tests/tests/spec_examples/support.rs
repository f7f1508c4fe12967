//! The examples' helpers: addresses of one repeated byte, a field's RLP,
//! bounded texts, and the spec's `Payment_single` with its memo.

use tokensign_core::field::{AsRlp, FieldValue};
use tokensign_core::text::Text;
use tokensign_core::tx::{Memo, Payment};
use tokensign_core::{Address, Amount, Transaction};
use tokensign_tests::rlp;

pub fn addr(byte: u8) -> Address {
    Address([byte; 20])
}

pub fn item<T: FieldValue>(value: &T) -> String {
    hex::encode(rlp(&AsRlp(value)))
}

pub fn text<const N: usize, R: tokensign_core::text::TextRule>(s: &str) -> Text<N, R> {
    Text::new(s).unwrap()
}
/// 4.6's inputs.
pub fn payment_single(nonce: u64, memo: Option<Memo>) -> Transaction {
    let tx = Transaction::new(
        1_212_101,
        nonce,
        Payment {
            recipient: addr(0x02),
            value: Amount::from_u64(1_000_000_000_000_000_000),
            token: addr(0x01),
        },
    );
    Transaction { memo, ..tx }
}

pub fn spec_memo() -> Memo {
    Memo::new("purpose/SALA", "text/plain", "invoice-0001").unwrap()
}
