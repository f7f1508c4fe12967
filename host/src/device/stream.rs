//! Frames over byte streams: [`StreamTransport`] over any reader and
//! writer, [`ProcessTransport`] over a child process's stdin/stdout (such
//! as QEMU running the firmware).

use std::fmt;
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tokensign_core::device::{
    encode_frame, Decoded, FrameDecoder, FRAME_DISPLAY, FRAME_OVERHEAD, FRAME_REQUEST,
    FRAME_RESPONSE, MAX_FRAME_PAYLOAD,
};

use super::{DeviceError, Transport};

/// How long a stream transport waits for a response by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Frames over a byte stream: writes request frames, reads frames until
/// the response, keeping display frames as review pages. A reader thread
/// feeds the bytes, so every wait is bounded by the timeout.
pub struct StreamTransport {
    writer: Box<dyn Write + Send>,
    bytes: Receiver<std::io::Result<Vec<u8>>>,
    pending: std::collections::VecDeque<u8>,
    decoder: Box<FrameDecoder<MAX_FRAME_PAYLOAD>>,
    display: Vec<String>,
    timeout: Duration,
    /// Set on drop: a reader whose reads time out (a serial port) stops.
    stop: Arc<AtomicBool>,
}

impl fmt::Debug for StreamTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamTransport")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Drop for StreamTransport {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl StreamTransport {
    /// A transport reading `reader` (on its own thread) and writing
    /// `writer`. A read that times out (`TimedOut`/`WouldBlock`, as a
    /// serial port's does) is retried until the transport is dropped.
    pub fn new(reader: impl Read + Send + 'static, writer: impl Write + Send + 'static) -> Self {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let mut reader = reader;
        thread::spawn(move || {
            use std::io::ErrorKind as K;
            let mut buf = [0u8; 4096];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx
                            .send(Ok(buf.get(..n).unwrap_or_default().to_vec()))
                            .is_err()
                        {
                            break;
                        }
                    }
                    Err(e) if e.kind() == K::Interrupted => {}
                    Err(e) if matches!(e.kind(), K::TimedOut | K::WouldBlock) => {
                        if stopped.load(Ordering::SeqCst) {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        StreamTransport {
            writer: Box::new(writer),
            bytes: rx,
            pending: Default::default(),
            decoder: Box::new(FrameDecoder::new()),
            display: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            stop,
        }
    }

    /// Sets how long one exchange may wait for its response.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn next_byte(&mut self, deadline: Instant) -> Result<u8, DeviceError> {
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Ok(b);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.bytes.recv_timeout(left) {
                Ok(Ok(chunk)) => self.pending.extend(chunk),
                Ok(Err(e)) => return Err(DeviceError::Read(e)),
                Err(RecvTimeoutError::Timeout) => return Err(DeviceError::Timeout(self.timeout)),
                Err(RecvTimeoutError::Disconnected) => return Err(DeviceError::Closed),
            }
        }
    }
}

impl Transport for StreamTransport {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
        let mut frame = vec![0u8; command.len() + FRAME_OVERHEAD];
        let n = encode_frame(FRAME_REQUEST, command, &mut frame)
            .map_err(DeviceError::CommandTooLong)?;
        self.writer
            .write_all(frame.get(..n).unwrap_or_default())
            .and_then(|()| self.writer.flush())
            .map_err(DeviceError::Write)?;
        let deadline = Instant::now() + self.timeout;
        loop {
            let byte = self.next_byte(deadline)?;
            match self.decoder.push(byte) {
                Decoded::Frame(FRAME_RESPONSE) => return Ok(self.decoder.payload().to_vec()),
                Decoded::Frame(FRAME_DISPLAY) => self
                    .display
                    .push(String::from_utf8_lossy(self.decoder.payload()).into_owned()),
                Decoded::Frame(_) | Decoded::Pending => {}
                Decoded::Dropped => return Err(DeviceError::CorruptFrame),
            }
        }
    }

    fn take_display(&mut self) -> Vec<String> {
        std::mem::take(&mut self.display)
    }
}

/// A device behind a child process's stdin/stdout, such as QEMU running
/// the firmware. The child is killed when this is dropped.
pub struct ProcessTransport {
    child: Child,
    stream: StreamTransport,
}

impl fmt::Debug for ProcessTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessTransport")
            .field("pid", &self.child.id())
            .finish_non_exhaustive()
    }
}

impl ProcessTransport {
    /// Runs `command` with `sh -c 'exec …'`, its stderr passed through.
    /// `exec` makes the command itself the child, so dropping the transport
    /// kills it (QEMU, say) rather than only the shell.
    pub fn spawn(command: &str) -> Result<Self, DeviceError> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(format!("exec {command}"));
        Self::spawn_command(cmd).map_err(|source| DeviceError::Spawn {
            command: command.to_owned(),
            source,
        })
    }

    /// Runs `cmd` with piped stdin and stdout.
    pub fn spawn_command(mut cmd: Command) -> std::io::Result<Self> {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err(std::io::Error::other("the child has no stdin/stdout"));
        };
        Ok(ProcessTransport {
            child,
            stream: StreamTransport::new(stdout, stdin),
        })
    }

    /// Sets how long one exchange may wait for its response.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.stream.timeout = timeout;
        self
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Transport for ProcessTransport {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
        self.stream
            .exchange(command)
            .map_err(|e| match self.child.try_wait() {
                Ok(Some(status)) => DeviceError::ProcessExited {
                    status: status.to_string(),
                    source: Box::new(e),
                },
                _ => e,
            })
    }
    fn take_display(&mut self) -> Vec<String> {
        self.stream.take_display()
    }
}

impl Drop for ProcessTransport {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
