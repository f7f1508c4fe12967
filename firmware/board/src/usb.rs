//! USB CDC-ACM as the board's [`Link`]: the host sees a serial port
//! (`/dev/ttyACM0`), and `tokensign --device serial:/dev/ttyACM0` speaks
//! the protocol's frames over it.
//!
//! The USB device is serviced from the USB interrupt ([`SharedUsb::on_interrupt`]),
//! so that it keeps answering the host while the main loop signs, derives
//! a key or waits for a button. Bytes from the host wait in a queue until
//! the main loop reads them; when the queue is full the endpoint is left
//! unread and the host's writes wait (USB's own flow control).

use core::cell::RefCell;

use critical_section::Mutex;
use heapless::Deque;
use usb_device::bus::{UsbBus, UsbBusAllocator};
use usb_device::device::{
    StringDescriptors, UsbDevice, UsbDeviceBuilder, UsbDeviceState, UsbVidPid,
};
use usbd_serial::SerialPort;

use crate::approver::{Buttons, PageApprover, Screen};
use crate::link::Link;

/// Bytes from the host held until the main loop reads them: two full
/// request frames.
const RX_QUEUE: usize = 1024;

/// pid.codes' test VID/PID for open hardware in development (a product
/// needs its own).
pub const TEST_VID_PID: UsbVidPid = UsbVidPid(0x1209, 0x0001);

/// The USB device and its CDC-ACM function.
pub struct UsbSerial<'a, B: UsbBus> {
    device: UsbDevice<'a, B>,
    serial: SerialPort<'a, B>,
    rx: Deque<u8, RX_QUEUE>,
}

impl<'a, B: UsbBus> UsbSerial<'a, B> {
    /// A CDC-ACM serial port on `bus`, named `product` with the board's
    /// `serial_number`. `None` if the descriptors do not fit usb-device's
    /// limits.
    pub fn new(
        bus: &'a UsbBusAllocator<B>,
        product: &'a str,
        serial_number: &'a str,
    ) -> Option<Self> {
        let serial = SerialPort::new(bus);
        let device = UsbDeviceBuilder::new(bus, TEST_VID_PID)
            .device_class(usbd_serial::USB_CLASS_CDC)
            .strings(&[StringDescriptors::default()
                .manufacturer("tokensign")
                .product(product)
                .serial_number(serial_number)])
            .ok()?
            .build();
        Some(UsbSerial {
            device,
            serial,
            rx: Deque::new(),
        })
    }

    /// Services the bus and moves what the host sent into the queue.
    pub fn poll(&mut self) {
        self.device.poll(&mut [&mut self.serial]);
        let mut packet = [0u8; 64];
        while self.rx.capacity() - self.rx.len() >= packet.len() {
            match self.serial.read(&mut packet) {
                Ok(n) if n > 0 => {
                    for &b in packet.get(..n).unwrap_or(&[]) {
                        let _ = self.rx.push_back(b);
                    }
                }
                _ => break,
            }
        }
    }

    /// The next byte from the host.
    pub fn read(&mut self) -> Option<u8> {
        self.rx.pop_front()
    }

    /// Queues as much of `bytes` as the port takes now; how much. While
    /// the host has not configured the device, everything is dropped (no
    /// one listens).
    pub fn write(&mut self, bytes: &[u8]) -> usize {
        if self.device.state() != UsbDeviceState::Configured {
            return bytes.len();
        }
        self.serial.write(bytes).unwrap_or(0)
    }
}

/// A [`UsbSerial`] shared between the USB interrupt and the main loop (put
/// it in a static; the board's interrupt handler calls
/// [`SharedUsb::on_interrupt`]). It holds a reference, so that the static
/// is zeros until installed (`.bss`, not 2 KB of `.data` in flash): the
/// [`UsbSerial`] itself lives in a singleton of the firmware's.
pub struct SharedUsb<'a, B: UsbBus> {
    usb: Mutex<RefCell<Option<&'a mut UsbSerial<'a, B>>>>,
}

impl<'a, B: UsbBus> Default for SharedUsb<'a, B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, B: UsbBus> SharedUsb<'a, B> {
    /// Empty until [`SharedUsb::install`].
    pub const fn new() -> Self {
        SharedUsb {
            usb: Mutex::new(RefCell::new(None)),
        }
    }

    /// Puts the USB device in place (before the interrupt is unmasked).
    pub fn install(&self, usb: &'a mut UsbSerial<'a, B>) {
        critical_section::with(|cs| {
            self.usb.borrow_ref_mut(cs).replace(usb);
        });
    }

    /// The USB interrupt's work.
    pub fn on_interrupt(&self) {
        critical_section::with(|cs| {
            if let Some(usb) = self.usb.borrow_ref_mut(cs).as_mut() {
                usb.poll();
            }
        });
    }
}

impl<B: UsbBus> Link for SharedUsb<'_, B> {
    fn read(&self) -> Option<u8> {
        critical_section::with(|cs| self.usb.borrow_ref_mut(cs).as_mut()?.read())
    }

    fn write(&self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            // Outside the critical section between tries, so that the
            // interrupt can send what the port holds and make room.
            let taken = critical_section::with(|cs| {
                self.usb
                    .borrow_ref_mut(cs)
                    .as_mut()
                    .map_or(rest.len(), |usb| usb.write(rest))
            });
            rest = rest.get(taken..).unwrap_or(&[]);
        }
    }
}

/// The approver of a board on USB: every page on `screen` and to the host
/// over `link`, decisions from `buttons`. Says on the screen that the
/// board is ready: call it last at boot.
pub fn ready_approver<B: UsbBus, S: Screen, K: Buttons>(
    link: &'static SharedUsb<'static, B>,
    mut screen: S,
    buttons: K,
) -> PageApprover<&'static SharedUsb<'static, B>, S, K> {
    screen.line(&[b"tokensign: ready (USB CDC-ACM)"]);
    PageApprover::new(link, screen, buttons)
}
