//! A hardware device as a [`Signer`]: it reviews the operation itself and
//! holds its own key.

use std::sync::Mutex;

use tokensign_core::definition::SignedDefinition;
use tokensign_core::hd::DerivationPath;
use tokensign_core::{Address, Signature};

use super::{PublicKey, Signer, SignerError, SigningInput};
use crate::device::{self, DeviceClient, OpenSettings, SignRequest, Transport};
use crate::show::sanitize;

/// A connected device, the path of the key it signs with, and that key's
/// address and public key.
pub struct DeviceSigner {
    client: Mutex<DeviceClient<Box<dyn Transport>>>,
    /// The pages the device displayed for the last signature.
    pages: Mutex<Vec<String>>,
    /// The token definition to give the device with the next transaction.
    definition: Mutex<Option<SignedDefinition>>,
    path: DerivationPath,
    address: Address,
    public_key: PublicKey,
    spec: String,
}

impl std::fmt::Debug for DeviceSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceSigner({}, {})", self.address, self.spec)
    }
}

impl DeviceSigner {
    /// Opens the device `spec` and asks the address and public key of
    /// `path`.
    pub fn open(
        spec: &str,
        settings: &OpenSettings,
        path: DerivationPath,
    ) -> Result<Self, SignerError> {
        let shown = sanitize(spec);
        let client = device::open(spec, settings).map_err(|source| SignerError::DeviceOpen {
            spec: shown.clone(),
            source,
        })?;
        Self::over(client, &shown, path)
    }

    /// A signer over an open device client, with the key of `path` (asks
    /// the device for that key's address and public key).
    pub fn new(
        client: DeviceClient<Box<dyn Transport>>,
        path: DerivationPath,
    ) -> Result<Self, SignerError> {
        Self::over(client, "device", path)
    }

    /// A signer over an open device client (`spec` names it for people).
    pub fn over(
        mut client: DeviceClient<Box<dyn Transport>>,
        spec: &str,
        path: DerivationPath,
    ) -> Result<Self, SignerError> {
        let failed = |source| SignerError::DeviceAddress {
            spec: spec.to_owned(),
            source,
        };
        let address = match client.address(&path, false) {
            Err(e) if is_locked(&e) && interactive() => {
                // A device that was powered on for this command (QEMU
                // through `cmd:`) or locked: the PIN, asked here without
                // echo, unlocks it.
                let pin = super::read_password(
                    &super::PasswordSource::Prompt,
                    "The device is locked. Device PIN: ",
                    false,
                )?;
                let unlocked = client.unlock(&pin);
                drop(pin);
                unlocked.map_err(failed)?;
                client.address(&path, false)
            }
            other => other,
        }
        .map_err(failed)?;
        let public_key = PublicKey(client.public_key(&path).map_err(failed)?);
        Ok(DeviceSigner {
            client: Mutex::new(client),
            pages: Mutex::new(Vec::new()),
            definition: Mutex::new(None),
            path,
            address,
            public_key,
            spec: spec.to_owned(),
        })
    }

    /// The path of the key it signs with.
    pub fn path(&self) -> DerivationPath {
        self.path
    }
}

/// Whether the device refused because it is locked.
fn is_locked(e: &device::DeviceError) -> bool {
    e.status()
        .is_some_and(|s| s.sw == tokensign_core::device::Status::Locked.word())
}

/// Whether a PIN can be asked on a terminal.
fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

impl Signer for DeviceSigner {
    fn address(&self) -> Address {
        self.address
    }

    fn public_key(&self) -> Option<PublicKey> {
        Some(self.public_key)
    }

    fn describe(&self) -> String {
        format!("device {} ({})", self.spec, self.path)
    }

    /// The device reviews the operation and signs; the device client checks
    /// that the signature recovers to the device's address and that the
    /// signing hash the device answered is the core's.
    fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError> {
        let mut client = self
            .client
            .lock()
            .map_err(|_| SignerError::Device(device::DeviceError::Closed))?;
        let request = SignRequest {
            tx: input.transaction(),
            scheme: input.scheme(),
            descriptor: input.descriptor(),
            path: self.path,
        };
        let definition = self.definition.lock().ok().and_then(|d| *d);
        let signed = client
            .sign_with(&request, definition.as_ref())
            .map_err(|e| {
                if e.is_denied() {
                    SignerError::DeviceRejected
                } else {
                    SignerError::Device(e)
                }
            })?;
        if let Ok(mut pages) = self.pages.lock() {
            *pages = signed.review;
        }
        Ok(signed.signature)
    }

    fn offer_definition(&self, definition: Option<&SignedDefinition>) {
        if let Ok(mut slot) = self.definition.lock() {
            *slot = definition.copied();
        }
    }

    fn device_pages(&self) -> Option<Vec<String>> {
        self.pages.lock().ok().map(|p| p.clone())
    }
}

#[cfg(test)]
mod tests {
    use tokensign_core::hd::{self, DerivationPath, Mnemonic};
    use tokensign_core::native::{self, Descriptor};

    use super::*;
    use crate::device::TEST_MNEMONIC;

    #[test]
    fn new_signs_with_the_key_of_its_path() {
        let path = DerivationPath::ethereum(4).unwrap();
        let seed = Mnemonic::parse(TEST_MNEMONIC).unwrap().to_seed("").unwrap();
        let key = hd::derive_signing_key(seed.as_bytes(), &path).unwrap();
        let client = device::open("emulated", &OpenSettings::default()).unwrap();
        let signer = DeviceSigner::new(client, path).unwrap();
        assert_eq!(signer.address(), key.address());
        assert_eq!(signer.path(), path);
        assert_eq!(
            signer.public_key(),
            Some(PublicKey(key.public_key_compressed()))
        );
        let tx = native::normalize(tokensign_fixtures::spec_payload(3, Some(true)));
        let input = SigningInput::native(&tx, Descriptor::Single);
        let signature = super::super::sign_checked(&signer, &input).unwrap();
        assert_eq!(
            signature,
            key.sign_hash(&native::signing_hash(&tx, Descriptor::Single))
                .unwrap()
        );
    }
}
