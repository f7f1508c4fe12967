//! The device through `Device::handle`, a module per concern: the
//! instructions' answers and signatures (`instructions`), every refusal
//! with its status and any input without a panic (`failures`), the serial
//! frames (`frames`), provided token definitions (`definitions`) and the
//! set-up instructions of a device holding its own seed
//! (`setup_instructions`). This file holds their device, its approver, the
//! test mnemonic and the requests they send.

use super::*;
use crate::hd::{DerivationPath, Mnemonic, HARDENED};
use crate::legacy;
use crate::native::{self, Descriptor};
use crate::review::DEFAULT_PAGE_WIDTH;
use crate::rlp::encode::to_slice;
use crate::signature::{address_of_compressed, recover_hash};
use crate::tx::{BatchEntry, BatchPayment, CreateMultiSig, Memo, Payment, TokenIssue, Transaction};
use crate::{Address, Amount, Error, Scheme};
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec::Vec;

#[cfg(feature = "device-definitions")]
mod definitions;
mod failures;
mod frames;
mod instructions;
mod setup_instructions;

const MNEMONIC: &str = "test test test test test test test test test test test junk";
/// anvil's accounts 0 and 1 (m/44'/60'/0'/0/0 and /1 of the test mnemonic).
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ACCOUNT_1: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

#[derive(Default)]
struct Recorder {
    pages: Vec<String>,
    addresses: Vec<Address>,
    reject: bool,
}

impl Approver for Recorder {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        self.pages.clear();
        self.pages
            .extend(review.pages(DEFAULT_PAGE_WIDTH).map(|p| p.to_string()));
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
    fn confirm_address(&mut self, _path: &DerivationPath, address: &Address) -> Approval {
        self.addresses.push(*address);
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

type TestDevice = Device<Recorder, 2048, 4, 4>;

fn seed() -> Seed {
    Mnemonic::parse(MNEMONIC).unwrap().to_seed("").unwrap()
}

fn device() -> TestDevice {
    Device::new(seed(), Recorder::default())
}

fn path(index: u32) -> DerivationPath {
    DerivationPath::ethereum(index).unwrap()
}

fn path_bytes(p: &DerivationPath) -> Vec<u8> {
    let mut buf = [0u8; crate::hd::MAX_PATH_BYTES];
    let n = p.write_bytes(&mut buf).unwrap();
    buf[..n].to_vec()
}

fn cmd(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(ins, p1, p2, data, &mut buf).unwrap();
    buf[..n].to_vec()
}

fn run(d: &mut TestDevice, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut resp = [0u8; MAX_RESPONSE_LEN];
    let n = d.handle(apdu, &mut resp);
    let (data, sw) = split_response(&resp[..n]).unwrap();
    (data.to_vec(), sw)
}

const SIGN: u8 = Instruction::Sign as u8;
const OK: u16 = Status::Ok as u16;

fn sw(s: Status) -> u16 {
    s.word()
}

/// Sends a whole sign request in chunks of `chunk` bytes.
fn send(d: &mut TestDevice, request: &[u8], chunk: usize) -> (Vec<u8>, u16) {
    let chunks: Vec<&[u8]> = request.chunks(chunk.clamp(1, 255)).collect();
    let count = chunks.len().max(1);
    let mut last = (Vec::new(), 0);
    for i in 0..count {
        let part = chunks.get(i).copied().unwrap_or(&[]);
        let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
        let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
        last = run(d, &cmd(SIGN, p1, p2, part));
        if i + 1 < count {
            assert_eq!(last.1, OK, "chunk {i}");
        }
    }
    last
}

/// The sign request for `tx` in `scheme` under `descriptor` with the key
/// of account `index`.
fn request(tx: &Transaction<4, 4>, scheme: Scheme, descriptor: Descriptor, index: u32) -> Vec<u8> {
    let header = SignHeader {
        scheme,
        op: tx.op_type(),
        descriptor,
        path: path(index),
    };
    let mut buf = vec![0u8; 4096];
    let mut n = encode_sign_header(&header, &mut buf).unwrap();
    n += match scheme {
        Scheme::Legacy => legacy::encode_signed_value(tx, &mut buf[n..]).unwrap(),
        Scheme::Native => to_slice(
            &native::payload_rlp(&native::normalize(tx.clone())),
            &mut buf[n..],
        )
        .unwrap(),
    };
    buf.truncate(n);
    buf
}

fn payment() -> Transaction<4, 4> {
    Transaction::new(
        1_212_101,
        7,
        Payment {
            recipient: Address([2; 20]),
            value: Amount::from_u64(10),
            token: Address([1; 20]),
        },
    )
    .with_memo(Memo::new("purpose/SALA", "text/plain", "invoice-0001").unwrap())
}
