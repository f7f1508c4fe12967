//! A board under QEMU: the firmware with its flash and screen files,
//! powered on as a device client over UART0.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tokensign::device::{DeviceClient, ProcessTransport};

/// A firmware with its flash file and its screen's file: a device that
/// can be powered off and on.
pub struct Board {
    elf: PathBuf,
    flash: PathBuf,
    screen: PathBuf,
    _dir: tempfile::TempDir,
}

impl Board {
    /// A board with erased flash (the file is made at first power-on).
    pub fn new(elf: &Path) -> Board {
        let dir = tempfile::tempdir().expect("temporary directory");
        Board {
            elf: elf.to_path_buf(),
            flash: dir.path().join("flash.bin"),
            screen: dir.path().join("screen.txt"),
            _dir: dir,
        }
    }

    /// Powers on: QEMU with the firmware, UART0 on stdin/stdout, the flash
    /// file, and the screen (semihosting console, QEMU's stderr) in a file.
    pub fn power_on(&self) -> DeviceClient<ProcessTransport> {
        let line = format!(
            "exec qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none \
             -serial stdio -icount shift=0 \
             -semihosting-config enable=on,target=native,arg=tokensign-firmware,arg='{}' \
             -kernel '{}' 2>'{}'",
            self.flash.display(),
            self.elf.display(),
            self.screen.display()
        );
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(line);
        let transport = ProcessTransport::spawn_command(cmd)
            .expect("start qemu-system-arm")
            .with_timeout(Duration::from_secs(60));
        DeviceClient::new(transport)
    }

    /// The flash file (the device's flash while it is off).
    pub fn flash(&self) -> &Path {
        &self.flash
    }

    /// What the device's own screen showed since the last power-on.
    pub fn screen(&self) -> String {
        std::fs::read_to_string(&self.screen).unwrap_or_default()
    }
}
