//! tokensign firmware for the nRF52840 (the nRF52840 DK, PCA10056).
//!
//! The core's device protocol (`tokensign_core::device`) over USB CDC-ACM
//! on the nRF USB port: the host sees `/dev/ttyACM0` and signs with
//! `--device serial:/dev/ttyACM0`. The same wallet, protocol, link and
//! approver code as the QEMU firmware (`tests/firmware`), through
//! `tokensign-board`:
//!
//! - **Flash**: the wallet's three regions on the last three 4 KiB pages
//!   of the NVMC (0xFD000..0x100000, kept out of the program by
//!   `memory.x`).
//! - **Entropy**: the RNG peripheral, bias correction on, whitened with
//!   SHA-256 (`tokensign_board::entropy`).
//! - **Screen**: this reference board has no display. Every page goes to
//!   the debug probe's RTT console (channel 0, "screen": `probe-rs run`
//!   shows it) and, but for the words of a new seed, to the host as a
//!   display frame. A product puts its display behind
//!   `tokensign_board::approver::Screen`.
//! - **Buttons**: Button 1 approves, Button 2 refuses; LED 1 is lit while
//!   the device waits for one. No answer in 50 s refuses.
//!
//! Untested on hardware here (docs/embedded.md, "Real boards"): CI builds
//! it and reports its flash and static RAM.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use cortex_m_rt::entry;
use embedded_hal::digital::{InputPin, OutputPin};
use nrf52840_hal::clocks::{Clocks, ExternalOscillator, Internal, LfOscStopped};
use nrf52840_hal::gpio::{p0, Input, Level, Output, Pin, PullUp, PushPull};
use nrf52840_hal::nvmc::Nvmc;
use nrf52840_hal::pac::{self, interrupt, Interrupt, NVMC};
use nrf52840_hal::usbd::{UsbPeripheral, Usbd};
use nrf52840_hal::Rng;
use rtt_target::rtt_init;
use tokensign_board::approver::{two_buttons, Buttons, Screen, TICK_MS};
use tokensign_board::entropy::HardwareEntropy;
use tokensign_board::link::Server;
use tokensign_board::rtt::RttScreen;
use tokensign_board::storage::{FlashAndRng, NorFlashStorage};
use tokensign_board::usb::{ready_approver, SharedUsb, UsbSerial};
use tokensign_board::BoardDevice;
use tokensign_core::device::{Approval, Device, Wallet};
use usb_device::bus::UsbBusAllocator;

/// The CPU clock: 64 MHz.
const CYCLES_PER_MS: u32 = 64_000;
/// NVMC erase unit.
const PAGE: usize = 4096;
/// The wallet's pages: the last three of the 1 MiB flash (memory.x ends
/// the program's FLASH before them).
const WALLET_FLASH: usize = 0x000F_D000;

type Bus = Usbd<UsbPeripheral<'static>>;
type Link = &'static SharedUsb<'static, Bus>;
type Platform = FlashAndRng<NorFlashStorage<Nvmc<NVMC>>, HardwareEntropy<Rng>>;
type Dev = BoardDevice<Link, RttScreen, DkButtons, Platform>;

/// The USB device, shared with its interrupt.
static USB: SharedUsb<'static, Bus> = SharedUsb::new();

#[interrupt]
fn USBD() {
    USB.on_interrupt();
}

/// The DK's Button 1 (approve), Button 2 (refuse), LED 1 (waiting); all
/// active low.
struct DkButtons {
    approve: Pin<Input<PullUp>>,
    refuse: Pin<Input<PullUp>>,
    waiting: Pin<Output<PushPull>>,
}

impl Buttons for DkButtons {
    fn decide(&mut self) -> Approval {
        let _ = self.waiting.set_low();
        let (approve, refuse) = (&mut self.approve, &mut self.refuse);
        let decision = two_buttons(
            || approve.is_low().unwrap_or(false),
            || refuse.is_low().unwrap_or(false),
            || cortex_m::asm::delay(TICK_MS * CYCLES_PER_MS),
        );
        let _ = self.waiting.set_high();
        decision
    }
}

fn halt() -> ! {
    loop {
        cortex_m::asm::wfi();
    }
}

/// Brings up the clocks, USB, flash, RNG and buttons, boots the wallet
/// and builds the device in its static. Not inlined: the device's initial
/// value passes through this frame, gone before the first request.
#[inline(never)]
fn boot() -> Option<&'static mut Dev> {
    let p = pac::Peripherals::take()?;
    let channels = rtt_init! {
        up: {
            0: {
                size: 1024,
                name: "screen"
            }
        }
    };
    let mut screen = RttScreen(channels.up.0);

    // USB needs the external 32 MHz crystal.
    let clocks = Clocks::new(p.CLOCK).enable_ext_hfosc();
    let clocks = cortex_m::singleton!(
        : Clocks<ExternalOscillator, Internal, LfOscStopped> = clocks
    )?;
    let bus = cortex_m::singleton!(
        : UsbBusAllocator<Bus> = UsbBusAllocator::new(Usbd::new(UsbPeripheral::new(p.USBD, clocks)))
    )?;
    let usb = cortex_m::singleton!(
        : UsbSerial<'static, Bus> = UsbSerial::new(bus, "tokensign nRF52840", "nrf52840-dk")?
    )?;
    USB.install(usb);

    // SAFETY: the last three pages of flash, which memory.x keeps out of
    // the program; this slice is the only reference to them, owned by the
    // NVMC driver from here on.
    let wallet_pages: &'static mut [u8] =
        unsafe { core::slice::from_raw_parts_mut(WALLET_FLASH as *mut u8, 3 * PAGE) };
    let storage = NorFlashStorage::new(
        Nvmc::new(p.NVMC, wallet_pages),
        [0, PAGE as u32, 2 * PAGE as u32],
    )
    .ok()?;
    let mut entropy = HardwareEntropy::new(Rng::new(p.RNG));
    if !tokensign_board::install_backend!(&mut entropy) {
        screen.line(&[b"halted: the signing backend could not be set up"]);
        return None;
    }
    let wallet = Wallet::boot(FlashAndRng { storage, entropy }).ok()?;

    let pins = p0::Parts::new(p.P0);
    let buttons = DkButtons {
        approve: pins.p0_11.into_pullup_input().degrade(),
        refuse: pins.p0_12.into_pullup_input().degrade(),
        waiting: pins.p0_13.into_push_pull_output(Level::High).degrade(),
    };
    let approver = ready_approver(&USB, screen, buttons);
    let dev = cortex_m::singleton!(: Dev = Device::with_wallet(wallet, approver))?;
    // SAFETY: the USB device is installed; its handler only locks it.
    unsafe { cortex_m::peripheral::NVIC::unmask(Interrupt::USBD) };
    Some(dev)
}

#[entry]
fn main() -> ! {
    let Some(dev) = boot() else { halt() };
    let server = cortex_m::singleton!(: Server = Server::new());
    let Some(server) = server else { halt() };
    loop {
        server.poll(&&USB, |request, response| dev.handle(request, response));
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    halt()
}
