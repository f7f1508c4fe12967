//! A hardware device as a [`Signer`]: it reviews the operation itself and
//! holds its own key.

use std::sync::Mutex;

use tokensign_core::{Address, Signature};

use super::{Operation, PublicKey, Signer, SignerError, SigningInput};
use crate::device::{self, DeviceClient, OpenSettings, Transport};
use crate::text::sanitize;

/// A connected device and the address it reported.
pub struct DeviceSigner {
    client: Mutex<DeviceClient<Box<dyn Transport>>>,
    address: Address,
    spec: String,
    /// Learnt from the first signature (protocol 1 reports no public key).
    public_key: Mutex<Option<PublicKey>>,
}

impl std::fmt::Debug for DeviceSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceSigner({}, {})", self.address, self.spec)
    }
}

impl DeviceSigner {
    /// Opens the device `spec` and asks its address.
    pub fn open(spec: &str, settings: &OpenSettings) -> Result<Self, SignerError> {
        let shown = sanitize(spec);
        let client = device::open(spec, settings).map_err(|source| SignerError::DeviceOpen {
            spec: shown.clone(),
            source,
        })?;
        Self::over(client, &shown)
    }

    /// A signer over an open device client (`spec` names it for people).
    pub fn over(
        mut client: DeviceClient<Box<dyn Transport>>,
        spec: &str,
    ) -> Result<Self, SignerError> {
        let address = client
            .address()
            .map_err(|source| SignerError::DeviceAddress {
                spec: spec.to_owned(),
                source,
            })?;
        Ok(DeviceSigner {
            client: Mutex::new(client),
            address,
            spec: spec.to_owned(),
            public_key: Mutex::new(None),
        })
    }
}

impl Signer for DeviceSigner {
    fn address(&self) -> Address {
        self.address
    }

    fn public_key(&self) -> Option<PublicKey> {
        self.public_key.lock().ok().and_then(|k| *k)
    }

    fn describe(&self) -> String {
        format!("device {}", self.spec)
    }

    /// The device reviews the operation and signs; the device client checks
    /// that the signature recovers to the device's address and that the
    /// device's transaction hash is the core's.
    fn sign(&self, input: &SigningInput<'_>) -> Result<Signature, SignerError> {
        let mut client = self
            .client
            .lock()
            .map_err(|_| SignerError::Device(device::DeviceError::Closed))?;
        let signature = match input.operation() {
            Operation::TokenIssue(payload) => client.sign_issue(payload),
        }
        .map_err(|e| {
            if e.is_denied() {
                SignerError::DeviceRejected
            } else {
                SignerError::Device(e)
            }
        })?;
        Ok(signature)
    }
}
