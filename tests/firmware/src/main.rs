//! tokensign device firmware for QEMU's mps2-an386 (Cortex-M4).
//!
//! Speaks the core's device protocol (`tokensign_core::device`) over
//! UART0 (CMSDK APB UART at 0x4000_4000; QEMU `-serial stdio`): frames in,
//! frames out. It is a wallet: empty until set up (generate or restore),
//! its seed sealed under the PIN in flash, locked at every power-on. It
//! runs the real boards' shared code (`firmware/board`, the crate
//! `tokensign-board`): the frame server, the approver that shows each page
//! and sends it to the host as a display frame, the wallet's storage on
//! NOR flash and the backend's set-up. QEMU has no flash controller, RNG,
//! screen or buttons: `board.rs` stands in for them through semihosting (a
//! flash file on the host as NOR flash of three 256-byte erase units, the
//! host's random source for tests only, the semihosting console as the
//! screen), and every question is approved at once (`BUTTONS` makes it
//! refuse instead). The firmware's own commands:
//!
//! - `INS 0x10` GET_STACK: `P1 = 0` reads, `P1 = 1` repaints the stack
//!   first. Answer: peak stack bytes used since the last paint, the stack
//!   region's size and the static RAM size (three big-endian `u32`).
//! - `INS 0x11` BENCH: SysTick ticks (big-endian `u64`, 1 tick = 1 cycle of
//!   the 25 MHz CPU clock; under `-icount shift=0` one instruction takes
//!   1 ns, so instructions = ticks * 40). `P1 = 0`: a bare sign of a
//!   fixed hash with the build's backend (the core's `sign_hash`) and the
//!   spec's public test key. `P1 = 2`: calibration, a loop of exactly
//!   2,000,000 instructions. `P1 = 6`: the command APDU in the data,
//!   handled as usual and measured, a transaction's review pages rendered
//!   and not shown (ticks, then its status word; its data dropped): a
//!   SIGN chunk, a GET_ADDRESS of a path not cached, an UNLOCK, a
//!   SETUP_RESTORE.
//! - `INS 0x12` BUTTONS: `P1 = 0` approve from now on, `P1 = 1` refuse.
//! - `INS 0x13` POWER_CUT: data = a big-endian `u32` n: the power goes
//!   (QEMU exits) at the flash step after n more steps (an erase or a
//!   programmed chunk each), for tests of torn writes.
//!
//! Backend: the cargo feature `k256` (default) or `libsecp256k1` (built with
//! `--no-default-features --features libsecp256k1`), forwarded to the core;
//! with libsecp256k1 its context lives in a static installed at boot.
//!
//! No heap, no global allocator. `unsafe` is confined to the UART's MMIO
//! registers, the stack painting and the semihosting calls, each with its
//! reason.
#![no_std]
#![no_main]

mod board;
#[cfg(feature = "keccak-study")]
mod keccak_study;
#[cfg(feature = "keccak-study")]
mod keccak_unrolled;

use core::panic::PanicInfo;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::SYST;
use cortex_m_rt::{entry, exception};

use tokensign_board::approver::{Buttons, PageApprover};
use tokensign_board::link::Server;
use tokensign_board::storage::{FlashAndRng, NorFlashStorage};
use tokensign_board::BoardDevice;
use tokensign_core::device::wallet::REGION_LEN;
use tokensign_core::device::{Approval, Device, Status, Wallet, CLA, MAX_RESPONSE_LEN};
use tokensign_core::{sign_hash, signing_key_from_bytes, SigningKey};

use board::{Console, Flash, HostRandom};
use uart::Uart;

/// The bare-sign benchmark's key: the spec's public test key.
const BENCH_SECRET: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// The fixed hash of the bare-sign benchmark: the spec vector's signing hash.
const BENCH_HASH: [u8; 32] = [
    0x01, 0x88, 0x2e, 0xb8, 0xbe, 0xe7, 0xe2, 0xd0, 0xd5, 0x53, 0xa0, 0xde, 0xbc, 0x95, 0xf5, 0xd6,
    0x66, 0xd5, 0x5e, 0x48, 0x1b, 0x64, 0xee, 0x9c, 0x61, 0x59, 0xb4, 0xc5, 0x08, 0x31, 0xb9, 0xf0,
];

const INS_GET_STACK: u8 = 0x10;
const INS_BENCH: u8 = 0x11;
const INS_BUTTONS: u8 = 0x12;
const INS_POWER_CUT: u8 = 0x13;

mod uart {
    //! CMSDK APB UART0 of the AN386 at 0x4000_4000, polled.
    const BASE: usize = 0x4000_4000;
    const DATA: *mut u32 = BASE as *mut u32;
    const STATE: *mut u32 = (BASE + 0x04) as *mut u32;
    const CTRL: *mut u32 = (BASE + 0x08) as *mut u32;
    const BAUDDIV: *mut u32 = (BASE + 0x10) as *mut u32;
    const STATE_TX_FULL: u32 = 1;
    const STATE_RX_FULL: u32 = 2;

    pub fn init() {
        // SAFETY: fixed, aligned MMIO registers of the CMSDK UART; only this
        // module touches them and the firmware is single-threaded.
        unsafe {
            BAUDDIV.write_volatile(16); // QEMU ignores a divider below 16
            CTRL.write_volatile(0b11); // TX and RX enable
        }
    }

    pub fn write(bytes: &[u8]) {
        for &b in bytes {
            // SAFETY: as in `init`.
            unsafe {
                while STATE.read_volatile() & STATE_TX_FULL != 0 {}
                DATA.write_volatile(u32::from(b));
            }
        }
    }

    /// The byte in the receive register, if one has arrived.
    pub fn read() -> Option<u8> {
        // SAFETY: as in `init`.
        unsafe {
            if STATE.read_volatile() & STATE_RX_FULL == 0 {
                return None;
            }
            // The data register holds one byte in its low 8 bits.
            Some((DATA.read_volatile() & 0xff) as u8)
        }
    }

    /// UART0 as the board's link to the host.
    #[derive(Clone, Copy)]
    pub struct Uart;

    impl tokensign_board::link::Link for Uart {
        fn read(&self) -> Option<u8> {
            read()
        }
        fn write(&self, bytes: &[u8]) {
            write(bytes)
        }
    }
}

mod stack {
    //! Stack painting: fill the free stack with a pattern, later find the
    //! lowest word that changed.
    const PAINT: u32 = 0x5AC3_5AC3;

    extern "C" {
        // cortex-m-rt's link.x: the stack's top, and the end of the statics
        // (the stack may grow down to it; there is no heap).
        static _stack_start: u32;
        static __sheap: u32;
    }

    fn bounds() -> (usize, usize) {
        // Only the symbols' addresses are taken, never their contents.
        (
            core::ptr::addr_of!(__sheap) as usize,
            core::ptr::addr_of!(_stack_start) as usize,
        )
    }

    /// Bytes between the end of the statics and the stack's top.
    pub fn size() -> u32 {
        let (bottom, top) = bounds();
        (top - bottom) as u32
    }

    /// Bytes of static RAM (.data + .bss + .uninit).
    pub fn statics() -> u32 {
        let (bottom, _) = bounds();
        (bottom - 0x2000_0000) as u32
    }

    /// Paints from the end of the statics to just below the current frame.
    #[inline(never)]
    pub fn paint() {
        let (bottom, _) = bounds();
        let sp = cortex_m::register::msp::read() as usize;
        let mut p = bottom;
        while p + 4 <= sp.saturating_sub(64) {
            // SAFETY: [bottom, sp - 64) is RAM that no live frame or static
            // uses: below the current stack pointer, above the statics.
            unsafe { (p as *mut u32).write_volatile(PAINT) };
            p += 4;
        }
    }

    /// Peak stack use since the last paint, in bytes.
    pub fn peak() -> u32 {
        let (bottom, top) = bounds();
        let mut p = bottom;
        // SAFETY: reads aligned words of RAM between the statics and the
        // stack's top.
        while p < top && unsafe { (p as *const u32).read_volatile() } == PAINT {
            p += 4;
        }
        (top - p) as u32
    }
}

/// SysTick wraps (each 2^24 ticks), counted by its exception.
static WRAPS: AtomicU32 = AtomicU32::new(0);
const RELOAD: u32 = 0x00FF_FFFF;

#[exception]
fn SysTick() {
    WRAPS.fetch_add(1, Ordering::Relaxed);
}

fn ticks() -> u64 {
    loop {
        let before = WRAPS.load(Ordering::Relaxed);
        let current = SYST::get_current();
        if WRAPS.load(Ordering::Relaxed) == before {
            return u64::from(before) * u64::from(RELOAD + 1) + u64::from(RELOAD - current);
        }
    }
}

/// QEMU has no buttons: every question is approved, or after BUTTONS 1
/// refused, at once (after the pages were shown and sent, as on a board).
struct AutoButtons {
    refuse: bool,
}

impl Buttons for AutoButtons {
    fn decide(&mut self) -> Approval {
        if self.refuse {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

/// The device: `tokensign_board`'s, as on the real boards, with the
/// semihosting console as the screen.
type Platform = FlashAndRng<NorFlashStorage<Flash>, HostRandom>;
type Dev = BoardDevice<Uart, Console, AutoButtons, Platform>;

/// A timed BENCH's answer body: the SysTick ticks spent (big-endian `u64`),
/// then the measured command's or check's status word.
fn bench_body(spent: u64, status: u16) -> [u8; 10] {
    let mut body = [0u8; 10];
    body[..8].copy_from_slice(&spent.to_be_bytes());
    body[8..].copy_from_slice(&status.to_be_bytes());
    body
}

/// Writes `data` then `sw` into `out`; returns the length.
fn answer(out: &mut [u8], data: &[u8], sw: u16) -> usize {
    let end = data.len() + 2;
    match out.get_mut(..end) {
        Some(dst) => {
            let (d, s) = dst.split_at_mut(data.len());
            d.copy_from_slice(data);
            s.copy_from_slice(&sw.to_be_bytes());
            end
        }
        None => 0,
    }
}

/// The firmware's own commands (INS 0x10..=0x1F). Not inlined, so its
/// buffers do not sit in the frame of every sign request.
#[inline(never)]
fn firmware_command(
    dev: &mut Dev,
    bench_key: &SigningKey,
    request: &[u8],
    out: &mut [u8],
) -> usize {
    let ok = Status::Ok.word();
    let wrong_length = Status::WrongLength.word();
    let Some(([_, ins, p1, _, lc], data)) = request.split_first_chunk::<5>().map(|(h, d)| (*h, d))
    else {
        return answer(out, &[], wrong_length);
    };
    if usize::from(lc) != data.len() {
        return answer(out, &[], wrong_length);
    }
    match (ins, p1) {
        (INS_GET_STACK, 0 | 1) => {
            if p1 == 1 {
                stack::paint();
            }
            let mut body = [0u8; 12];
            body[..4].copy_from_slice(&stack::peak().to_be_bytes());
            body[4..8].copy_from_slice(&stack::size().to_be_bytes());
            body[8..].copy_from_slice(&stack::statics().to_be_bytes());
            answer(out, &body, ok)
        }
        (INS_BENCH, 0) => {
            let start = ticks();
            let signed = sign_hash(&BENCH_HASH, bench_key);
            let spent = ticks() - start;
            let sw = if signed.is_ok() {
                ok
            } else {
                Status::SigningFailed.word()
            };
            answer(out, &spent.to_be_bytes(), sw)
        }
        (INS_BENCH, 6) => {
            // Any command, handled as usual and measured, its pages
            // rendered and not sent.
            let mut response = [0u8; MAX_RESPONSE_LEN];
            dev.approver_mut().quiet = true;
            let start = ticks();
            let n = dev.handle(data, &mut response);
            let spent = ticks() - start;
            dev.approver_mut().quiet = false;
            let sw = response
                .get(n.saturating_sub(2)..n)
                .map_or(0, |s| u16::from_be_bytes([s[0], s[1]]));
            answer(out, &bench_body(spent, sw), ok)
        }
        #[cfg(feature = "keccak-study")]
        (INS_BENCH, 10..=13) => {
            // 10: the unrolled interleaved permutation; 11: a whole
            // keccak256 of 135 bytes (one permutation) with it, 12: with
            // `sha3`; 13: it agrees with the keccak crate and with `sha3`
            // (status only).
            let mut interleaved = [0u32; 50];
            let message = [0x5Au8; 300];
            let start = ticks();
            let digest = match p1 {
                10 => {
                    keccak_unrolled::f1600(&mut interleaved);
                    [0u8; 32]
                }
                11 => keccak_unrolled::keccak256(core::hint::black_box(&message[..135])),
                12 => {
                    use sha3::Digest;
                    sha3::Keccak256::digest(core::hint::black_box(&message[..135])).into()
                }
                _ => [0u8; 32],
            };
            let spent = ticks() - start;
            core::hint::black_box((&interleaved, digest));
            let sw = if keccak_study::unrolled_agrees(&message) {
                ok
            } else {
                Status::SigningFailed.word()
            };
            answer(out, &bench_body(spent, sw), ok)
        }
        #[cfg(feature = "keccak-study")]
        (INS_BENCH, 7..=9) => {
            // 7: the keccak crate's permutation; 8: the bit-interleaved
            // one; 9: both agree on a state (status only).
            let mut plain = [0u64; 25];
            for (i, lane) in plain.iter_mut().enumerate() {
                *lane = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            let mut interleaved = [[0u32; 2]; 25];
            let start = ticks();
            match p1 {
                7 => keccak::f1600(&mut plain),
                8 => keccak_study::f1600_interleaved(&mut interleaved),
                _ => {}
            }
            let spent = ticks() - start;
            let mut other = plain;
            keccak::f1600(&mut plain);
            keccak_study::f1600_via_interleaved(&mut other);
            let sw = if plain == other {
                ok
            } else {
                Status::SigningFailed.word()
            };
            answer(out, &bench_body(spent, sw), ok)
        }
        (INS_BUTTONS, 0 | 1) => {
            dev.approver_mut().buttons.refuse = p1 == 1;
            answer(out, &[], ok)
        }
        (INS_POWER_CUT, 0) => match <[u8; 4]>::try_from(data) {
            Ok(steps) => {
                let flash = dev.wallet_mut().platform_mut().storage.flash_mut();
                flash.power_budget = Some(u32::from_be_bytes(steps));
                answer(out, &[], ok)
            }
            Err(_) => answer(out, &[], wrong_length),
        },
        (INS_BENCH, 2) => {
            // Calibration: exactly 2 * CALIBRATION_LOOPS instructions.
            let start = ticks();
            calibration_loop(CALIBRATION_LOOPS);
            let spent = ticks() - start;
            answer(out, &spent.to_be_bytes(), ok)
        }
        (INS_GET_STACK | INS_BENCH | INS_BUTTONS | INS_POWER_CUT, _) => {
            answer(out, &[], Status::WrongP1P2.word())
        }
        _ => answer(out, &[], Status::InsNotSupported.word()),
    }
}

/// Iterations of the calibration loop (two instructions each).
const CALIBRATION_LOOPS: u32 = 1_000_000;

/// Runs `n` iterations of a two-instruction loop (`subs`, `bne`).
#[inline(never)]
fn calibration_loop(n: u32) {
    // SAFETY: touches only the one register it is given; no memory.
    unsafe {
        core::arch::asm!("1:", "subs {0}, #1", "bne 1b", inout(reg) n => _, options(nomem, nostack));
    }
}

/// Answers one request: the firmware's own commands here, the rest by the
/// core's device.
fn handle(dev: &mut Dev, bench_key: &SigningKey, request: &[u8], response: &mut [u8]) -> usize {
    match request {
        [CLA, ins, ..] if (0x10..=0x1F).contains(ins) => {
            firmware_command(dev, bench_key, request, response)
        }
        _ => dev.handle(request, response),
    }
}

fn halt() -> ! {
    loop {
        cortex_m::asm::wfi();
    }
}

/// What the main loop serves with, all in statics.
struct Firmware {
    dev: &'static mut Dev,
    server: &'static mut Server,
    bench_key: SigningKey,
}

/// Starts the clock, the board (flash file, random source) and the
/// backend, boots the wallet from flash (empty, or locked) and builds the
/// device in its static. Not inlined: the device's initial value passes
/// through this frame, which is gone before the first request (the main
/// loop's frame stays under every request).
#[inline(never)]
fn boot() -> Option<Firmware> {
    uart::init();
    let mut core = cortex_m::Peripherals::take()?;
    core.SYST.set_clock_source(SystClkSource::Core);
    core.SYST.set_reload(RELOAD);
    core.SYST.clear_current();
    core.SYST.enable_interrupt();
    core.SYST.enable_counter();

    let mut random = HostRandom::open();
    if !tokensign_board::install_backend!(&mut random) {
        return None;
    }
    let bench_key = signing_key_from_bytes(&BENCH_SECRET).ok()?;
    // The regions at 0, 256 and 512: the flat image of docs/embedded.md.
    let units = [0, REGION_LEN as u32, 2 * REGION_LEN as u32];
    let storage = NorFlashStorage::new(Flash::open(), units).ok()?;
    let wallet = Wallet::boot(FlashAndRng {
        storage,
        entropy: random,
    })
    .ok()?;
    let approver = PageApprover::new(Uart, Console::open(), AutoButtons { refuse: false });
    let dev = cortex_m::singleton!(: Dev = Device::with_wallet(wallet, approver))?;
    let server = cortex_m::singleton!(: Server = Server::new())?;
    Some(Firmware {
        dev,
        server,
        bench_key,
    })
}

#[entry]
fn main() -> ! {
    stack::paint();
    let Some(Firmware {
        dev,
        server,
        bench_key,
    }) = boot()
    else {
        halt()
    };
    loop {
        server.poll(&Uart, |request, response| {
            handle(dev, &bench_key, request, response)
        });
    }
}

/// The external interrupts' vector table: one unused entry. The firmware
/// polls UART0 and enables no interrupt; cortex-m-rt's default table of 240
/// entries would cost 956 bytes of flash.
#[link_section = ".vector_table.interrupts"]
#[no_mangle]
static __INTERRUPTS: [unsafe extern "C" fn(); 1] = [default_interrupt];

/// Never called: no external interrupt is enabled.
unsafe extern "C" fn default_interrupt() {
    halt()
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    halt()
}
