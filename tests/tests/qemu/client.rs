//! The protocol as the tests speak it: the test firmware's own
//! instructions (stack, bench, buttons, power cut), status words, answer
//! fields, and the measured commands.

use tokensign::device::{DeviceClient, DeviceError, ProcessTransport};
use tokensign_core::device::{
    encode_command, Instruction, MAX_COMMAND_LEN, P1_FIRST, P1_NEXT, P2_LAST, P2_MORE,
};

pub const INS_GET_STACK: u8 = 0x10;
pub const INS_BENCH: u8 = 0x11;
pub const INS_BUTTONS: u8 = 0x12;
pub const INS_POWER_CUT: u8 = 0x13;

pub fn sw_of(e: &DeviceError) -> u16 {
    e.status().map_or(0, |s| s.sw)
}

pub fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(data[at..at + 4].try_into().unwrap())
}

pub fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(data[at..at + 8].try_into().unwrap())
}

/// BENCH 6 of a raw command APDU: its ticks, after checking it answered
/// 0x9000.
pub fn bench_apdu(client: &mut DeviceClient<ProcessTransport>, apdu: &[u8], what: &str) -> u64 {
    let answer = client.command(INS_BENCH, 6, 0, apdu).unwrap();
    assert_eq!(&answer[8..], &[0x90, 0x00], "benchmarked {what} failed");
    u64_at(&answer, 0)
}

/// The sign path's ticks of `request` of any size: its chunks as SIGN
/// with P2_MORE, then BENCH 6 measures the last, empty chunk (decode,
/// rules, review pages rendered, signing hash, signature, answer hash).
pub fn bench_sign(client: &mut DeviceClient<ProcessTransport>, request: &[u8]) -> u64 {
    let sign_ins = Instruction::Sign as u8;
    for (i, chunk) in request.chunks(255).enumerate() {
        let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
        client.command(sign_ins, p1, P2_MORE, chunk).unwrap();
    }
    bench_apdu(client, &[0xE1, sign_ins, P1_NEXT, P2_LAST, 0], "sign")
}

/// Sends one command APDU and returns its status word.
pub fn sw(
    client: &mut DeviceClient<ProcessTransport>,
    ins: Instruction,
    p1: u8,
    data: &[u8],
) -> u16 {
    match client.command(ins as u8, p1, 0, data) {
        Ok(_) => 0x9000,
        Err(e) => sw_of(&e),
    }
}

/// BENCH 6: `command` handled and measured; its ticks and status word.
pub fn bench_command(
    client: &mut DeviceClient<ProcessTransport>,
    ins: Instruction,
    data: &[u8],
) -> (u64, u16) {
    let mut apdu = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(ins as u8, 0, 0, data, &mut apdu).unwrap();
    let answer = client.command(INS_BENCH, 6, 0, &apdu[..n]).unwrap();
    (
        u64_at(&answer, 0),
        u16::from_be_bytes([answer[8], answer[9]]),
    )
}

/// The peak stack since the last paint; then paints again.
pub fn stack_since_paint(client: &mut DeviceClient<ProcessTransport>) -> u32 {
    let peak = u32_at(&client.command(INS_GET_STACK, 0, 0, &[]).unwrap(), 0);
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    peak
}
