//! tokensign firmware for QEMU's mps2-an386 (Cortex-M4).
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use cortex_m_rt::entry;
use tokensign_core::{json, signing_key_from_bytes, SignedRequest};

/// The spec's known-answer key: a test key, never a real one.
const TEST_KEY: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

const VECTOR: &[u8] = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"TEST Stablecoin","decimals":18,"master_authority":"0x0000000000000000000000000000000000000000","is_private":false,"clawback_enabled":true}"#;

mod uart {
    //! CMSDK APB UART0 of the AN386 at 0x4000_4000.
    const BASE: usize = 0x4000_4000;
    const DATA: *mut u32 = BASE as *mut u32;
    const STATE: *mut u32 = (BASE + 0x04) as *mut u32;
    const CTRL: *mut u32 = (BASE + 0x08) as *mut u32;
    const BAUDDIV: *mut u32 = (BASE + 0x10) as *mut u32;

    pub fn init() {
        // SAFETY: fixed, aligned MMIO registers of the CMSDK UART; only this
        // module touches them and the firmware is single-threaded.
        unsafe {
            BAUDDIV.write_volatile(16);
            CTRL.write_volatile(0b11); // TX and RX enable
        }
    }

    pub fn write(bytes: &[u8]) {
        for &b in bytes {
            // SAFETY: as in `init`.
            unsafe {
                while STATE.read_volatile() & 1 != 0 {}
                DATA.write_volatile(u32::from(b));
            }
        }
    }
}

#[entry]
fn main() -> ! {
    uart::init();
    let ok = signing_key_from_bytes(&TEST_KEY)
        .and_then(|key| SignedRequest::sign(json::parse_payload(VECTOR)?, &key));
    match ok {
        Ok(request) => {
            let mut out = [0u8; tokensign_core::MAX_REQUEST_JSON_LEN];
            if let Ok(n) = json::write_request(&request, &mut out) {
                uart::write(out.get(..n).unwrap_or(&[]));
                uart::write(b"\n");
            }
        }
        Err(_) => uart::write(b"error\n"),
    }
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    loop {
        cortex_m::asm::nop();
    }
}
