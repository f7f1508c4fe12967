//! The device layer's tests: the emulated device, every transport, and the
//! checks of what a device answers.

use std::io::{Read, Write};
use std::thread;
use std::time::{Duration, Instant};

use tokensign_core::device::{
    encode_frame, Decoded, FrameDecoder, Instruction, Status, FRAME_DISPLAY, FRAME_OVERHEAD,
    FRAME_REQUEST, FRAME_RESPONSE, MAX_FRAME_PAYLOAD,
};
use tokensign_core::native;
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};

use super::*;

/// anvil's account 0: the test mnemonic's first Ethereum account.
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

fn vector() -> Transaction {
    tokensign_fixtures::spec_payload(2, Some(true))
}

fn request(tx: &Transaction, scheme: Scheme) -> SignRequest<'_> {
    SignRequest {
        tx,
        scheme,
        descriptor: Descriptor::Single,
        path: default_path(),
    }
}

fn status(e: &DeviceError) -> u16 {
    e.status().map_or(0, |s| s.sw)
}

#[test]
fn the_emulated_device_holds_the_test_mnemonic() {
    let mut device = EmulatedDevice::with_test_mnemonic().unwrap();
    assert_eq!(
        device.address(&default_path()).unwrap().to_string(),
        ACCOUNT_0
    );
}

#[test]
fn dropping_a_process_transport_ends_the_command_itself() {
    let transport = ProcessTransport::spawn("sleep 300").unwrap();
    let pid = transport.pid();
    let proc_dir = std::path::PathBuf::from(format!("/proc/{pid}"));
    // The shell execs the command: the child becomes `sleep` itself
    // (bounded wait for the exec).
    let comm = (0..500)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(10));
            std::fs::read_to_string(proc_dir.join("comm")).unwrap_or_default()
        })
        .find(|c| c.trim() == "sleep");
    assert!(comm.is_some(), "the child never became the command");
    drop(transport);
    assert!(!proc_dir.exists(), "the command is still running");
}

#[test]
fn emulated_device_signs_in_both_schemes() {
    let mut client = open("emulated", &OpenSettings::default()).unwrap();
    assert_eq!(
        client.address(&default_path(), false).unwrap().to_string(),
        ACCOUNT_0
    );
    let key = client.public_key(&default_path()).unwrap();
    assert_eq!(
        tokensign_core::address_of_compressed(&key)
            .unwrap()
            .to_string(),
        ACCOUNT_0
    );
    assert_eq!(
        client.version().unwrap().protocol,
        tokensign_core::device::PROTOCOL_VERSION
    );
    let legacy_tx = vector();
    let native_tx = native::normalize(vector());
    for (tx, scheme) in [(&legacy_tx, Scheme::Legacy), (&native_tx, Scheme::Native)] {
        let req = request(tx, scheme);
        let signed = client.sign(&req).unwrap();
        assert_eq!(signed.signing_hash, req.signing_hash().unwrap());
        let expected: Vec<String> = Review::new(tx, scheme, Descriptor::Single)
            .pages(DEFAULT_PAGE_WIDTH)
            .map(|p| p.to_string())
            .collect();
        assert_eq!(signed.review, expected);
    }
    // Confirming an address shows it.
    client.address(&default_path(), true).unwrap();
}

#[test]
fn rejection_and_refusals_have_their_status() {
    let mut device = EmulatedDevice::with_test_mnemonic().unwrap();
    device.set_reject(true);
    let mut client = DeviceClient::new(device);
    let p = vector();
    let e = client.sign(&request(&p, Scheme::Legacy)).unwrap_err();
    assert_eq!(status(&e), Status::Denied.word());
    assert!(e.is_denied());
    assert!(e.to_string().contains("refused on the device"), "{e}");
    client.transport_mut().set_reject(false);
    let e = client.sign_raw(&[9]).unwrap_err();
    assert_eq!(status(&e), Status::InvalidData.word());
    assert!(e.to_string().contains("scheme byte"), "{e}");
    let big = vec![b' '; REQUEST_BUFFER + 1];
    let e = client.sign_raw(&big).unwrap_err();
    assert_eq!(status(&e), Status::TooLarge.word());
    // The device is usable after each failure.
    client.sign(&request(&p, Scheme::Legacy)).unwrap();
}

#[test]
fn a_lying_device_is_caught() {
    /// Signs with another seed than the one whose address it reports.
    struct Liar(EmulatedDevice, EmulatedDevice);
    impl Transport for Liar {
        fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
            if command.get(1) == Some(&(Instruction::Sign as u8)) {
                self.1.exchange(command)
            } else {
                self.0.exchange(command)
            }
        }
    }
    let other = EmulatedDevice::new(
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    )
    .unwrap();
    let mut client = DeviceClient::new(Liar(EmulatedDevice::with_test_mnemonic().unwrap(), other));
    let e = client
        .sign(&request(&vector(), Scheme::Legacy))
        .unwrap_err();
    assert!(matches!(e, DeviceError::WrongSigner { .. }), "{e}");
    assert!(e.to_string().contains("not the device's address"), "{e}");
}

/// Plays the device's side of the framing over `port` with an emulated
/// device, until the stream ends or fails: the firmware's UART loop.
fn serve_frames(mut port: impl Read + Write) {
    let mut device = EmulatedDevice::with_test_mnemonic().unwrap();
    let mut decoder = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
    let mut byte = [0u8; 1];
    let mut out = vec![0u8; MAX_FRAME_PAYLOAD + FRAME_OVERHEAD];
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match port.read(&mut byte) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(_) => return,
        }
        if let Decoded::Frame(FRAME_REQUEST) = decoder.push(byte[0]) {
            let response = device.exchange(decoder.payload()).unwrap();
            for page in device.take_display() {
                let n = encode_frame(FRAME_DISPLAY, page.as_bytes(), &mut out).unwrap();
                port.write_all(&out[..n]).unwrap();
            }
            let n = encode_frame(FRAME_RESPONSE, &response, &mut out).unwrap();
            port.write_all(&out[..n]).unwrap();
        }
    }
}

/// The stream transport against the core state machine on a thread,
/// over a socket pair: the same framing as the firmware's UART.
#[test]
fn stream_transport_over_a_socket() {
    use std::os::unix::net::UnixStream;
    let (host, dev_side) = UnixStream::pair().unwrap();
    thread::spawn(move || serve_frames(dev_side));
    let reader = host.try_clone().unwrap();
    let transport = StreamTransport::new(reader, host).with_timeout(Duration::from_secs(10));
    let mut client = DeviceClient::new(transport);
    let tx = vector();
    let signed = client.sign(&request(&tx, Scheme::Legacy)).unwrap();
    let expected = Review::new(&tx, Scheme::Legacy, Descriptor::Single)
        .pages(DEFAULT_PAGE_WIDTH)
        .count();
    assert_eq!(signed.review.len(), expected);
    assert_eq!(signed.review[0], "Operation: Issue token");
}

/// A serial device through `serialport`, on a pseudo-terminal pair: the
/// device side is the pty's master, the host opens the slave's path by
/// name, as it would `/dev/ttyACM0` (raw, at a baud rate a pty ignores).
#[test]
fn serial_device_on_a_pseudo_terminal() {
    let (mut master, slave) = serialport::TTYPort::pair().unwrap();
    let path = serialport::SerialPort::name(&slave).unwrap();
    serialport::SerialPort::set_timeout(&mut master, Duration::from_millis(100)).unwrap();
    let device_side = thread::spawn(move || serve_frames(master));
    let mut client = open(
        &path,
        &OpenSettings {
            baud: 9600,
            ..OpenSettings::default()
        },
    )
    .unwrap();
    assert_eq!(
        client.address(&default_path(), false).unwrap().to_string(),
        ACCOUNT_0
    );
    let tx = native::normalize(vector());
    let signed = client.sign(&request(&tx, Scheme::Native)).unwrap();
    assert_eq!(signed.review[0], "Operation: Issue token");
    drop(client);
    drop(slave);
    // The device loop ends when the host side is closed (bounded anyway).
    let _ = device_side.join();
}

#[test]
fn a_missing_serial_device_is_named() {
    let Err(e) = open("/dev/ttyNOPE-tokensign", &OpenSettings::default()) else {
        panic!("a missing path opened")
    };
    assert!(matches!(e, DeviceError::SerialNotFound { .. }), "{e:?}");
    assert!(e.to_string().contains("/dev/ttyNOPE-tokensign"), "{e}");
    assert!(e.to_string().contains("plugged in"), "{e}");
    // A path that is not a terminal: the crate refuses it, and says so.
    let file = std::env::temp_dir().join(format!("tokensign-not-a-tty-{}", std::process::id()));
    std::fs::write(&file, b"").unwrap();
    let opened = open(file.to_str().unwrap(), &OpenSettings::default());
    let _ = std::fs::remove_file(&file);
    let Err(e) = opened else {
        panic!("a plain file opened as a serial port")
    };
    assert!(
        matches!(
            e,
            DeviceError::SerialOpen {
                baud: DEFAULT_BAUD,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_silent_device_times_out() {
    let transport = ProcessTransport::spawn("sleep 5")
        .unwrap()
        .with_timeout(Duration::from_millis(200));
    let mut client = DeviceClient::new(transport);
    let start = Instant::now();
    assert!(matches!(client.version(), Err(DeviceError::Timeout(_))));
    assert!(start.elapsed() < Duration::from_secs(3));
    let e = open("cmd:exit 3", &OpenSettings::default())
        .unwrap()
        .version()
        .unwrap_err();
    assert!(
        e.to_string().contains("closed") || e.to_string().contains("exited"),
        "{e}"
    );
    assert!(matches!(
        open("", &OpenSettings::default()),
        Err(DeviceError::EmptySpec)
    ));
}

#[test]
fn device_specs_parse() {
    use std::path::PathBuf;
    let parse = |s: &str| DeviceSpec::parse(s);
    assert_eq!(
        parse("emulated").unwrap(),
        DeviceSpec::Emulated {
            confirm: false,
            dir: None
        }
    );
    assert_eq!(
        parse("emulated:confirm").unwrap(),
        DeviceSpec::Emulated {
            confirm: true,
            dir: None
        }
    );
    assert_eq!(
        parse("emulated:/tmp/d").unwrap(),
        DeviceSpec::Emulated {
            confirm: false,
            dir: Some(PathBuf::from("/tmp/d"))
        }
    );
    assert_eq!(
        parse("emulated:confirm:rel/d").unwrap(),
        DeviceSpec::Emulated {
            confirm: true,
            dir: Some(PathBuf::from("rel/d"))
        }
    );
    assert_eq!(
        parse("cmd:qemu-system-arm -M x").unwrap(),
        DeviceSpec::Command("qemu-system-arm -M x".into())
    );
    assert_eq!(
        parse("serial:/dev/ttyACM0").unwrap(),
        DeviceSpec::Serial("/dev/ttyACM0".into())
    );
    assert_eq!(
        parse("/dev/ttyUSB1").unwrap(),
        DeviceSpec::Serial("/dev/ttyUSB1".into())
    );
    for bad in ["", "emulated:", "serial:"] {
        assert!(matches!(parse(bad), Err(DeviceError::EmptySpec)), "{bad:?}");
    }
}

#[test]
fn the_emulated_wallet_keeps_its_state_in_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("device");
    let mut client = DeviceClient::new(EmulatedDevice::in_dir(&state).unwrap());
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    client.setup_restore(TEST_MNEMONIC, "1234").unwrap();
    assert_eq!(
        client.address(&default_path(), false).unwrap().to_string(),
        ACCOUNT_0
    );
    let flash = std::fs::read(state.join(state_dir::FLASH_FILE)).unwrap();
    assert_eq!(flash.len(), state_dir::FLASH_LEN);
    // The words are nowhere in the flash image.
    assert!(
        !flash.windows(4).any(|w| w == b"test"),
        "the seed is sealed"
    );
    // Another "process": still unlocked (the RAM file), then a power cycle
    // locks it and removes the RAM file.
    drop(client);
    let device = EmulatedDevice::in_dir(&state).unwrap();
    let mut client = DeviceClient::new(device);
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Unlocked);
    assert!(state.join(state_dir::RAM_FILE).exists());
    client.lock().unwrap();
    assert!(!state.join(state_dir::RAM_FILE).exists());
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Locked);
    client.unlock("1234").unwrap();
    let ram = state.join(state_dir::RAM_FILE);
    assert!(ram.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&ram), 0o600, "the RAM file is the owner's only");
        assert_eq!(mode(&state.join(state_dir::FLASH_FILE)), 0o600);
        // A RAM file left readable by others is made private before the
        // seed goes in.
        std::fs::set_permissions(&ram, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(client);
        let mut client = DeviceClient::new(EmulatedDevice::in_dir(&state).unwrap());
        client.address(&default_path(), false).unwrap();
        assert_eq!(mode(&ram), 0o600);
        // Locking overwrites the seed before removing the file: a second
        // link to it sees zeros.
        let link = dir.path().join("ram-link");
        std::fs::hard_link(&ram, &link).unwrap();
        assert!(std::fs::read(&link).unwrap().iter().any(|&b| b != 0));
        client.lock().unwrap();
        assert!(!ram.exists());
        let left = std::fs::read(&link).unwrap();
        assert_eq!(left.len(), 80);
        assert!(left.iter().all(|&b| b == 0), "the seed was overwritten");
        // So does a wipe.
        client.unlock("1234").unwrap();
        std::fs::remove_file(&link).unwrap();
        std::fs::hard_link(&ram, &link).unwrap();
        client.wipe().unwrap();
        assert!(!ram.exists());
        assert!(std::fs::read(&link).unwrap().iter().all(|&b| b == 0));
    }
    // A foreign file in the directory is refused, not overwritten.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join(state_dir::FLASH_FILE), b"not flash").unwrap();
    let e = EmulatedDevice::in_dir(&other).unwrap_err();
    assert!(
        e.to_string().contains("not an emulated device's flash"),
        "{e}"
    );
}
