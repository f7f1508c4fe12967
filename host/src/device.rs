//! Signing through a device: the host side of the core's device protocol
//! (`tokensign_core::device`, framing and commands described there and in
//! docs/embedded.md).
//!
//! - [`Transport`] carries one command APDU and brings back its response
//!   APDU, plus the review pages the device displayed.
//! - [`EmulatedDevice`]: the core's own [`Device`] state machine in
//!   process, with an automatic approver and a test key, for fast tests.
//! - [`StreamTransport`]: frames over any byte stream; [`ProcessTransport`]
//!   runs a command (such as the QEMU line of the firmware) and speaks over
//!   its stdin/stdout; [`open_serial`] opens a serial port path.
//! - [`DeviceClient`]: version, address, and `sign_issue`, which checks
//!   that the signature recovers to the device's address and that the
//!   device's transaction hash is the core's.
//! - [`open`]: a client from a spec: `emulated`, `cmd:<shell command>` or a
//!   path.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use tokensign_core::device::{
    encode_command, encode_frame, parse_sign_response, split_response, status_text, Approval,
    Approver, Decoded, Device, FrameDecoder, FRAME_DISPLAY, FRAME_OVERHEAD, FRAME_REQUEST,
    FRAME_RESPONSE, INS_GET_ADDRESS, INS_GET_VERSION, INS_SIGN_ISSUE, MAX_COMMAND_LEN,
    MAX_FRAME_PAYLOAD, MAX_RESPONSE_LEN, P1_FIRST, P1_NEXT, P2_LAST, P2_MORE, SW_INVALID_DATA,
    SW_OK,
};
use tokensign_core::json::{write_payload, MAX_PAYLOAD_JSON_LEN};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::{
    recover, signing_key_from_bytes, tx_hash, Address, Signature, TokenIssuePayload,
};

/// The spec's known-answer key, which the firmware and the emulated device
/// hold: a published test key, never for real funds.
pub const TEST_KEY: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// The payload buffer of the emulated device, as in the firmware.
pub const PAYLOAD_BUFFER: usize = 1024;

/// Payload bytes per `SIGN_ISSUE` chunk.
pub const CHUNK_LEN: usize = 255;

/// How long a stream transport waits for a response by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Carries command APDUs to a device and its response APDUs back.
pub trait Transport: Send {
    /// Sends one command APDU; returns the response APDU (data, then the
    /// two status bytes).
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>>;

    /// The review pages the device displayed since the last call, in order.
    fn take_display(&mut self) -> Vec<String> {
        Vec::new()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        (**self).exchange(command)
    }
    fn take_display(&mut self) -> Vec<String> {
        (**self).take_display()
    }
}

/// A device answered with a status word other than 0x9000.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceStatus {
    /// The status word.
    pub sw: u16,
    /// The device's reason text (for a refused payload), else empty.
    pub reason: String,
}

impl DeviceStatus {
    /// Whether the user rejected the review on the device.
    pub fn is_denied(&self) -> bool {
        self.sw == tokensign_core::device::SW_DENIED
    }
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "device: {} (SW 0x{:04X})", status_text(self.sw), self.sw)?;
        if !self.reason.is_empty() {
            write!(f, ": {}", self.reason)?;
        }
        Ok(())
    }
}

impl std::error::Error for DeviceStatus {}

// ------------------------------------------------------------ emulated

/// The emulated device's approver: records every page shown, then
/// approves (or rejects, when told to).
#[derive(Debug, Default)]
pub struct RecordingApprover {
    /// Pages shown and not yet taken.
    pub pages: Vec<String>,
    /// Reject every review instead of approving.
    pub reject: bool,
}

impl Approver for RecordingApprover {
    fn approve(&mut self, review: &Review<'_>) -> Approval {
        self.pages
            .extend(review.pages(DEFAULT_PAGE_WIDTH).map(|p| p.to_string()));
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

/// The core's device state machine in process: the same protocol as the
/// firmware, without QEMU.
pub struct EmulatedDevice {
    device: Device<RecordingApprover, PAYLOAD_BUFFER>,
}

impl fmt::Debug for EmulatedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatedDevice")
            .field("device", &self.device)
            .finish()
    }
}

impl EmulatedDevice {
    /// An emulated device holding `secret`.
    pub fn new(secret: &[u8; 32]) -> Result<Self> {
        let key = signing_key_from_bytes(secret).map_err(|e| anyhow!("device key: {e}"))?;
        Ok(EmulatedDevice {
            device: Device::new(key, RecordingApprover::default()),
        })
    }

    /// An emulated device holding [`TEST_KEY`], like the firmware.
    pub fn with_test_key() -> Result<Self> {
        Self::new(&TEST_KEY)
    }

    /// Makes the emulated user reject (true) or approve (false) reviews.
    pub fn set_reject(&mut self, reject: bool) {
        self.device.approver_mut().reject = reject;
    }

    /// The device's address.
    pub fn address(&self) -> Address {
        self.device.address()
    }
}

impl Transport for EmulatedDevice {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        let mut response = [0u8; MAX_RESPONSE_LEN];
        let n = self.device.handle(command, &mut response);
        Ok(response[..n].to_vec())
    }

    fn take_display(&mut self) -> Vec<String> {
        std::mem::take(&mut self.device.approver_mut().pages)
    }
}

// ------------------------------------------------------------- streams

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
}

impl fmt::Debug for StreamTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamTransport")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl StreamTransport {
    /// A transport reading `reader` (on its own thread) and writing `writer`.
    pub fn new(reader: impl Read + Send + 'static, writer: impl Write + Send + 'static) -> Self {
        let (tx, rx) = mpsc::channel();
        let mut reader = reader;
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.send(Ok(buf[..n].to_vec())).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
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
        }
    }

    /// Sets how long one exchange may wait for its response.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn next_byte(&mut self, deadline: Instant) -> Result<u8> {
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Ok(b);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.bytes.recv_timeout(left) {
                Ok(Ok(chunk)) => self.pending.extend(chunk),
                Ok(Err(e)) => return Err(e).context("reading from the device"),
                Err(RecvTimeoutError::Timeout) => {
                    bail!("device did not answer within {:?}", self.timeout)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    bail!("device closed the connection")
                }
            }
        }
    }
}

impl Transport for StreamTransport {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        let mut frame = vec![0u8; command.len() + FRAME_OVERHEAD];
        let n = encode_frame(FRAME_REQUEST, command, &mut frame)
            .map_err(|e| anyhow!("command too long for a frame: {e}"))?;
        self.writer
            .write_all(&frame[..n])
            .and_then(|()| self.writer.flush())
            .context("writing to the device")?;
        let deadline = Instant::now() + self.timeout;
        loop {
            let byte = self.next_byte(deadline)?;
            match self.decoder.push(byte) {
                Decoded::Frame(FRAME_RESPONSE) => return Ok(self.decoder.payload().to_vec()),
                Decoded::Frame(FRAME_DISPLAY) => self
                    .display
                    .push(String::from_utf8_lossy(self.decoder.payload()).into_owned()),
                Decoded::Frame(_) | Decoded::Pending => {}
                Decoded::Dropped => bail!("corrupt frame from the device"),
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
    pub fn spawn(command: &str) -> Result<Self> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(format!("exec {command}"));
        Self::spawn_command(cmd).with_context(|| format!("starting device command `{command}`"))
    }

    /// Runs `cmd` with piped stdin and stdout.
    pub fn spawn_command(mut cmd: Command) -> Result<Self> {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            bail!("child has no stdin/stdout");
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
}

impl Transport for ProcessTransport {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>> {
        let result = self.stream.exchange(command);
        if result.is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                return result.with_context(|| format!("device process exited: {status}"));
            }
        }
        result
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

/// A device on a serial port (or any file that reads and writes bytes).
/// The port must already be raw (for example `stty -F PATH raw -echo
/// 115200`).
pub fn open_serial(path: &Path) -> Result<StreamTransport> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .with_context(|| format!("opening device {}", path.display()))?;
    let reader = file.try_clone().context("cloning the device handle")?;
    Ok(StreamTransport::new(reader, file))
}

/// The QEMU command line that runs the firmware at `firmware` (an ELF) as
/// a device on stdin/stdout.
pub fn qemu_command(firmware: &Path) -> String {
    format!(
        "qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none \
         -serial stdio -icount shift=0 -kernel '{}'",
        firmware.display()
    )
}

// -------------------------------------------------------------- client

/// What a device reports as its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceVersion {
    /// The protocol version.
    pub protocol: u8,
    /// The device's core version.
    pub core: String,
}

/// A signature made by a device, with what it showed and answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSignature {
    /// The signature.
    pub signature: Signature,
    /// The transaction hash the device computed (checked against the core).
    pub tx_hash: [u8; 32],
    /// The review pages the device displayed before signing (empty if the
    /// transport does not report them).
    pub review: Vec<String>,
}

/// Talks to a device over a [`Transport`].
#[derive(Debug)]
pub struct DeviceClient<T> {
    transport: T,
    address: Option<Address>,
}

impl<T: Transport> DeviceClient<T> {
    /// A client over `transport`.
    pub fn new(transport: T) -> Self {
        DeviceClient {
            transport,
            address: None,
        }
    }

    /// The transport.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Sends one command; returns the response data, or a [`DeviceStatus`]
    /// error for a status word other than 0x9000.
    pub fn command(&mut self, ins: u8, p1: u8, p2: u8, data: &[u8]) -> Result<Vec<u8>> {
        let mut apdu = [0u8; MAX_COMMAND_LEN];
        let n = encode_command(ins, p1, p2, data, &mut apdu)
            .map_err(|e| anyhow!("command data too long: {e}"))?;
        let response = self.transport.exchange(&apdu[..n])?;
        let (data, sw) =
            split_response(&response).ok_or_else(|| anyhow!("device answer too short"))?;
        if sw != SW_OK {
            let reason = if sw == SW_INVALID_DATA {
                String::from_utf8_lossy(data).into_owned()
            } else {
                String::new()
            };
            return Err(DeviceStatus { sw, reason }.into());
        }
        Ok(data.to_vec())
    }

    /// The device's protocol and core version.
    pub fn version(&mut self) -> Result<DeviceVersion> {
        let data = self.command(INS_GET_VERSION, 0, 0, &[])?;
        let (&protocol, core) = data
            .split_first()
            .ok_or_else(|| anyhow!("empty version answer"))?;
        Ok(DeviceVersion {
            protocol,
            core: String::from_utf8_lossy(core).into_owned(),
        })
    }

    /// The device's address (asked once, then remembered).
    pub fn address(&mut self) -> Result<Address> {
        if let Some(address) = self.address {
            return Ok(address);
        }
        let data = self.command(INS_GET_ADDRESS, 0, 0, &[])?;
        let bytes: [u8; 20] = data
            .as_slice()
            .try_into()
            .map_err(|_| anyhow!("address answer has {} bytes, not 20", data.len()))?;
        let address = Address(bytes);
        self.address = Some(address);
        Ok(address)
    }

    /// Has the device review and sign `payload`; the signature is checked
    /// to recover to the device's address.
    pub fn sign_issue(&mut self, payload: &TokenIssuePayload) -> Result<Signature> {
        Ok(self.sign_issue_detailed(payload)?.signature)
    }

    /// Sends a payload JSON as it is (chunked) and returns the raw answer
    /// data; for tests that send what the core would not write.
    pub fn sign_json(&mut self, json: &[u8]) -> Result<Vec<u8>> {
        self.transport.take_display();
        let chunks: Vec<&[u8]> = if json.is_empty() {
            vec![&[][..]]
        } else {
            json.chunks(CHUNK_LEN).collect()
        };
        let count = chunks.len();
        let mut answer = Vec::new();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            answer = self.command(INS_SIGN_ISSUE, p1, p2, chunk)?;
        }
        Ok(answer)
    }

    /// [`DeviceClient::sign_issue`], also returning the device's
    /// transaction hash and the review pages it displayed.
    pub fn sign_issue_detailed(&mut self, payload: &TokenIssuePayload) -> Result<DeviceSignature> {
        let address = self.address()?;
        let mut json = [0u8; MAX_PAYLOAD_JSON_LEN];
        let n = write_payload(payload, &mut json).map_err(|e| anyhow!("payload JSON: {e}"))?;
        let answer = self.sign_json(&json[..n])?;
        let (signature, device_tx_hash) = parse_sign_response(&answer)
            .ok_or_else(|| anyhow!("sign answer has {} bytes", answer.len()))?;
        let signer = recover(payload, &signature)
            .map_err(|e| anyhow!("device signature does not verify: {e}"))?;
        if signer != address {
            bail!("device signature recovers to {signer}, not the device's address {address}");
        }
        if device_tx_hash != tx_hash(payload, &signature) {
            bail!("device transaction hash differs from the host's");
        }
        Ok(DeviceSignature {
            signature,
            tx_hash: device_tx_hash,
            review: self.transport.take_display(),
        })
    }
}

/// Opens a device from a spec: `emulated` (in process, [`TEST_KEY`]),
/// `cmd:<shell command>` (for example `cmd:` + [`qemu_command`]) or the
/// path of a serial port.
pub fn open(spec: &str) -> Result<DeviceClient<Box<dyn Transport>>> {
    let transport: Box<dyn Transport> = if spec == "emulated" {
        Box::new(EmulatedDevice::with_test_key()?)
    } else if let Some(command) = spec.strip_prefix("cmd:") {
        Box::new(ProcessTransport::spawn(command)?)
    } else if spec.is_empty() {
        bail!("empty device spec: use `emulated`, `cmd:<command>` or a serial port path");
    } else {
        Box::new(open_serial(Path::new(spec))?)
    };
    Ok(DeviceClient::new(transport))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::device::{SW_DENIED, SW_TOO_LARGE};
    use tokensign_core::json::parse_payload;

    const VECTOR: &[u8] = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"TEST Stablecoin","decimals":18,"master_authority":"0x0000000000000000000000000000000000000000","is_private":false,"clawback_enabled":true}"#;

    fn status(e: &anyhow::Error) -> u16 {
        e.downcast_ref::<DeviceStatus>().map_or(0, |s| s.sw)
    }

    #[test]
    fn dropping_a_process_transport_ends_the_command_itself() {
        let transport = ProcessTransport::spawn("sleep 300").unwrap();
        let pid = transport.child.id();
        let proc_dir = std::path::PathBuf::from(format!("/proc/{pid}"));
        // The shell execs the command: the child becomes `sleep` itself
        // (bounded wait for the exec).
        let comm = (0..500)
            .map(|_| {
                std::thread::sleep(std::time::Duration::from_millis(10));
                std::fs::read_to_string(proc_dir.join("comm")).unwrap_or_default()
            })
            .find(|c| c.trim() == "sleep");
        assert!(comm.is_some(), "the child never became the command");
        drop(transport);
        assert!(!proc_dir.exists(), "the command is still running");
    }

    #[test]
    fn emulated_device_signs_the_vector() {
        let mut client = open("emulated").unwrap();
        assert_eq!(
            client.address().unwrap().to_string(),
            "0x2045a425D0e131E747f8be2F044413733e412d7d"
        );
        let v = client.version().unwrap();
        assert_eq!(v.protocol, 1);
        let p = parse_payload(VECTOR).unwrap();
        let signed = client.sign_issue_detailed(&p).unwrap();
        assert_eq!(
            hex::encode(signed.signature.r),
            "db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"
        );
        assert_eq!(signed.signature.v, 1);
        let expected: Vec<String> = Review::new(&p)
            .pages(DEFAULT_PAGE_WIDTH)
            .map(|p| p.to_string())
            .collect();
        assert_eq!(signed.review, expected);
    }

    #[test]
    fn rejection_and_refusals_have_their_status() {
        let mut device = EmulatedDevice::with_test_key().unwrap();
        device.set_reject(true);
        let mut client = DeviceClient::new(device);
        let p = parse_payload(VECTOR).unwrap();
        let e = client.sign_issue(&p).unwrap_err();
        assert_eq!(status(&e), SW_DENIED);
        assert!(e.to_string().contains("rejected by the user"), "{e}");
        client.transport_mut().set_reject(false);
        let e = client.sign_json(b"{\"chain_id\":1}").unwrap_err();
        assert_eq!(status(&e), SW_INVALID_DATA);
        assert!(e.to_string().contains("missing field"), "{e}");
        let big = vec![b' '; PAYLOAD_BUFFER + 1];
        let e = client.sign_json(&big).unwrap_err();
        assert_eq!(status(&e), SW_TOO_LARGE);
        // The device is usable after each failure.
        client.sign_issue(&p).unwrap();
    }

    #[test]
    fn a_lying_device_is_caught() {
        /// Signs with another key than the address it reports.
        struct Liar(EmulatedDevice, EmulatedDevice);
        impl Transport for Liar {
            fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>> {
                if command.get(1) == Some(&INS_GET_ADDRESS) {
                    self.0.exchange(command)
                } else {
                    self.1.exchange(command)
                }
            }
        }
        let other = EmulatedDevice::new(&[7u8; 32]).unwrap();
        let mut client = DeviceClient::new(Liar(EmulatedDevice::with_test_key().unwrap(), other));
        let p = parse_payload(VECTOR).unwrap();
        let e = client.sign_issue(&p).unwrap_err();
        assert!(e.to_string().contains("not the device's address"), "{e}");
    }

    /// The stream transport against the core state machine on a thread,
    /// over a socket pair: the same framing as the firmware's UART.
    #[test]
    fn stream_transport_over_a_socket() {
        use std::os::unix::net::UnixStream;
        let (host, mut dev_side) = UnixStream::pair().unwrap();
        thread::spawn(move || {
            let mut device = EmulatedDevice::with_test_key().unwrap();
            let mut decoder = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
            let mut byte = [0u8; 1];
            let mut out = vec![0u8; MAX_FRAME_PAYLOAD + FRAME_OVERHEAD];
            while dev_side.read_exact(&mut byte).is_ok() {
                if let Decoded::Frame(FRAME_REQUEST) = decoder.push(byte[0]) {
                    let response = device.exchange(decoder.payload()).unwrap();
                    for page in device.take_display() {
                        let n = encode_frame(FRAME_DISPLAY, page.as_bytes(), &mut out).unwrap();
                        dev_side.write_all(&out[..n]).unwrap();
                    }
                    let n = encode_frame(FRAME_RESPONSE, &response, &mut out).unwrap();
                    dev_side.write_all(&out[..n]).unwrap();
                }
            }
        });
        let reader = host.try_clone().unwrap();
        let transport = StreamTransport::new(reader, host).with_timeout(Duration::from_secs(10));
        let mut client = DeviceClient::new(transport);
        let p = parse_payload(VECTOR).unwrap();
        let signed = client.sign_issue_detailed(&p).unwrap();
        assert_eq!(signed.review.len(), 14);
        assert_eq!(signed.review[0], "Operation: Issue token");
    }

    #[test]
    fn a_silent_device_times_out() {
        let transport = ProcessTransport::spawn("sleep 5")
            .unwrap()
            .with_timeout(Duration::from_millis(200));
        let mut client = DeviceClient::new(transport);
        let start = Instant::now();
        assert!(client.version().is_err());
        assert!(start.elapsed() < Duration::from_secs(3));
        let e = open("cmd:exit 3").unwrap().version().unwrap_err();
        assert!(format!("{e:#}").contains("closed") || format!("{e:#}").contains("exited"));
        assert!(open("/nonexistent/tty").is_err());
        assert!(open("").is_err());
    }
}
