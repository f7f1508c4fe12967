//! tokensign firmware for the STM32F4 Discovery (STM32F407VG).
//!
//! The core's device protocol (`tokensign_core::device`) over USB CDC-ACM
//! on the board's USB OTG FS port (the micro-USB socket, not the ST-LINK
//! one): the host sees `/dev/ttyACM0` and signs with
//! `--device serial:/dev/ttyACM0`. The same wallet, protocol, link and
//! approver code as the QEMU firmware (`tests/firmware`), through
//! `tokensign-board`. Why the F407 and not an F401/F411 "black pill": the
//! wallet needs a hardware random source, and only the F405/F407 and
//! larger parts have the RNG peripheral.
//!
//! - **Flash**: the wallet's three regions in the last three 128 KiB
//!   sectors (9, 10, 11: 0x080A0000..0x08100000, kept out of the program
//!   by `memory.x`). A sector erase takes one to two seconds, so a state
//!   change (a PIN check writes two) is that slow on this part.
//! - **Entropy**: the RNG peripheral (its clock and seed errors are
//!   refused), whitened with SHA-256 (`tokensign_board::entropy`).
//! - **Screen**: this reference board has no display. Every page goes to
//!   the debug probe's RTT console (channel 0, "screen": `probe-rs run`
//!   shows it) and, but for the words of a new seed, to the host as a
//!   display frame. A product puts its display behind
//!   `tokensign_board::approver::Screen`.
//! - **Button**: the blue user button. A press approves; holding it for
//!   two seconds refuses (the red LED lights when the hold counts). The
//!   green LED is lit while the device waits; no answer in 50 s refuses.
//!
//! Untested on hardware here (docs/embedded.md, "Real boards"): CI builds
//! it and reports its flash and static RAM.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use cortex_m_rt::entry;
use embedded_storage::nor_flash::{ErrorType, NorFlash, ReadNorFlash};
use rtt_target::rtt_init;
use stm32f4xx_hal::flash::{FlashExt, LockedFlash};
use stm32f4xx_hal::gpio::{Input, Output, PushPull, PA0, PD12, PD14};
use stm32f4xx_hal::otg_fs::{UsbBus, UsbBusType, USB};
use stm32f4xx_hal::pac::{self, interrupt, Interrupt};
use stm32f4xx_hal::prelude::*;
use stm32f4xx_hal::rng::Rng;
use tokensign_board::approver::{one_button, Buttons, Screen, TICK_MS};
use tokensign_board::entropy::HardwareEntropy;
use tokensign_board::link::Server;
use tokensign_board::rtt::RttScreen;
use tokensign_board::storage::{FlashAndRng, NorFlashStorage};
use tokensign_board::usb::{ready_approver, SharedUsb, UsbSerial};
use tokensign_board::BoardDevice;
use tokensign_core::device::{Approval, Device, Wallet};
use usb_device::bus::UsbBusAllocator;

/// The CPU clock: 168 MHz.
const CYCLES_PER_MS: u32 = 168_000;
/// The wallet's sectors (9, 10, 11), as offsets from the start of flash.
const WALLET_SECTORS: [u32; 3] = [0x000A_0000, 0x000C_0000, 0x000E_0000];

type Link = &'static SharedUsb<'static, UsbBusType>;
type Platform = FlashAndRng<NorFlashStorage<Flash>, HardwareEntropy<Rng>>;
type Dev = BoardDevice<Link, RttScreen, UserButton, Platform>;

/// The USB device, shared with its interrupt.
static USB_LINK: SharedUsb<'static, UsbBusType> = SharedUsb::new();

#[interrupt]
fn OTG_FS() {
    USB_LINK.on_interrupt();
}

/// The flash, unlocked for each erase or write only (the HAL locks it
/// again when the unlocked handle is dropped).
struct Flash(LockedFlash);

impl ErrorType for Flash {
    type Error = stm32f4xx_hal::flash::Error;
}

impl ReadNorFlash for Flash {
    const READ_SIZE: usize = 1;
    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        ReadNorFlash::read(&mut self.0, offset, bytes)
    }
    fn capacity(&self) -> usize {
        ReadNorFlash::capacity(&self.0)
    }
}

impl NorFlash for Flash {
    const WRITE_SIZE: usize = 1;
    const ERASE_SIZE: usize = 128 * 1024;
    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        NorFlash::erase(&mut self.0.unlocked(), from, to)
    }
    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        NorFlash::write(&mut self.0.unlocked(), offset, bytes)
    }
}

/// The user button (PA0, active high), the green LED (waiting) and the red
/// LED (a long press, which refuses).
struct UserButton {
    button: PA0<Input>,
    waiting: PD12<Output<PushPull>>,
    refusing: PD14<Output<PushPull>>,
}

impl Buttons for UserButton {
    fn decide(&mut self) -> Approval {
        self.waiting.set_high();
        let (button, refusing) = (&self.button, &mut self.refusing);
        let decision = one_button(
            || button.is_high(),
            || refusing.set_high(),
            || cortex_m::asm::delay(TICK_MS * CYCLES_PER_MS),
        );
        self.refusing.set_low();
        self.waiting.set_low();
        decision
    }
}

fn halt() -> ! {
    loop {
        cortex_m::asm::wfi();
    }
}

/// Brings up the clocks, USB, flash, RNG and button, boots the wallet and
/// builds the device in its static. Not inlined: the device's initial value
/// passes through this frame, gone before the first request.
#[inline(never)]
fn boot() -> Option<&'static mut Dev> {
    let dp = pac::Peripherals::take()?;
    let channels = rtt_init! {
        up: {
            0: {
                size: 1024,
                name: "screen"
            }
        }
    };
    let mut screen = RttScreen(channels.up.0);

    // The Discovery's 8 MHz crystal; 48 MHz for USB and the RNG.
    let rcc = dp.RCC.constrain();
    let clocks = rcc
        .cfgr
        .use_hse(8.MHz())
        .sysclk(168.MHz())
        .require_pll48clk()
        .freeze();

    let gpioa = dp.GPIOA.split();
    let gpiod = dp.GPIOD.split();
    let usb = USB::new(
        (dp.OTG_FS_GLOBAL, dp.OTG_FS_DEVICE, dp.OTG_FS_PWRCLK),
        (gpioa.pa11, gpioa.pa12),
        &clocks,
    );
    let endpoint_memory = cortex_m::singleton!(: [u32; 320] = [0; 320])?;
    let bus = cortex_m::singleton!(
        : UsbBusAllocator<UsbBusType> = UsbBus::new(usb, endpoint_memory)
    )?;
    let usb = cortex_m::singleton!(
        : UsbSerial<'static, UsbBusType> = UsbSerial::new(bus, "tokensign STM32F4", "stm32f407-disco")?
    )?;
    USB_LINK.install(usb);

    let storage = NorFlashStorage::new(Flash(LockedFlash::new(dp.FLASH)), WALLET_SECTORS).ok()?;
    let mut entropy = HardwareEntropy::new(dp.RNG.constrain(&clocks));
    if !tokensign_board::install_backend!(&mut entropy) {
        screen.line(&[b"halted: the signing backend could not be set up"]);
        return None;
    }
    let wallet = Wallet::boot(FlashAndRng { storage, entropy }).ok()?;

    let buttons = UserButton {
        button: gpioa.pa0.into_input(),
        waiting: gpiod.pd12.into_push_pull_output(),
        refusing: gpiod.pd14.into_push_pull_output(),
    };
    let approver = ready_approver(&USB_LINK, screen, buttons);
    let dev = cortex_m::singleton!(: Dev = Device::with_wallet(wallet, approver))?;
    // SAFETY: the USB device is installed; its handler only locks it.
    unsafe { cortex_m::peripheral::NVIC::unmask(Interrupt::OTG_FS) };
    Some(dev)
}

#[entry]
fn main() -> ! {
    let Some(dev) = boot() else { halt() };
    let Some(server) = cortex_m::singleton!(: Server = Server::new()) else {
        halt()
    };
    loop {
        server.poll(&USB_LINK, |request, response| dev.handle(request, response));
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    halt()
}
