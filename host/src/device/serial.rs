//! A device on a serial port, opened raw through the `serialport` crate:
//! no `stty` step, the port's settings are the crate's raw mode (8 data
//! bits, no parity, one stop bit, no flow control) at the given baud rate.

use std::path::Path;
use std::time::Duration;

use super::{DeviceError, StreamTransport};

/// The default baud rate (`--baud`): the firmware's UART rate.
pub const DEFAULT_BAUD: u32 = 115_200;

/// How long one read of the port blocks before the reader thread checks
/// whether the transport was dropped.
const READ_POLL: Duration = Duration::from_millis(100);

/// Opens the serial port at `path` at `baud`, raw, for the device protocol.
pub fn open_serial(path: &Path, baud: u32) -> Result<StreamTransport, DeviceError> {
    let shown = crate::show::sanitize(&path.display().to_string());
    // serialport reports a missing path as a bare I/O error; say it first.
    if !path.exists() {
        return Err(DeviceError::SerialNotFound { path: shown });
    }
    let port = serialport::new(path.to_string_lossy(), baud)
        .timeout(READ_POLL)
        .open()
        .map_err(|e| match e.kind() {
            serialport::ErrorKind::Io(std::io::ErrorKind::NotFound) => {
                DeviceError::SerialNotFound {
                    path: shown.clone(),
                }
            }
            serialport::ErrorKind::Io(std::io::ErrorKind::PermissionDenied) => {
                DeviceError::SerialPermission {
                    path: shown.clone(),
                }
            }
            _ => DeviceError::SerialOpen {
                path: shown.clone(),
                baud,
                detail: crate::show::sanitize(&e.to_string()),
            },
        })?;
    let reader = port.try_clone().map_err(|e| DeviceError::SerialOpen {
        path: shown,
        baud,
        detail: crate::show::sanitize(&e.to_string()),
    })?;
    Ok(StreamTransport::new(reader, port))
}
