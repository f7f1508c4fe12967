//! The local node's development controls (`/dev/…`, bodies in
//! [`crate::api::dev`]), behind `tokensign dev`. A read is retried as any
//! read; a control that changes something is sent once: its outcome is
//! never guessed.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Client, ClientError, RestError, TransportError};

impl Client<'_> {
    /// `GET /dev/<path>`, answered with `T` (`shape` says what `T` is).
    pub fn dev_read<T: DeserializeOwned>(&self, path: &str, shape: &str) -> Result<T, ClientError> {
        self.get_json(path, shape)
    }

    /// `POST /dev/<path>` with `body` (`None`: no body), sent once,
    /// answered with `T`.
    pub fn dev_control<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
        shape: &str,
    ) -> Result<T, ClientError> {
        let bytes = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::Encode(e.to_string()))?;
        let what = format!("POST {path}");
        let (status, answer) = match self.exchange("POST", path, bytes.as_deref()) {
            Ok(answer) => answer,
            Err(TransportError::NotSent(why)) => {
                return Err(ClientError::NotDelivered(format!("{what}: {why}")))
            }
            Err(TransportError::NoListener(why)) => {
                return Err(ClientError::NoListener(format!("{what}: {why}")))
            }
            Err(TransportError::MaybeSent(why)) => {
                return Err(ClientError::UnknownOutcome(format!(
                    "{what}: {why}; whether the node carried it out is unknown: read the state \
                     before sending it again"
                )))
            }
        };
        if status != 200 {
            return Err(ClientError::Refused {
                what,
                error: RestError::from_response(status, &answer),
            });
        }
        serde_json::from_slice(&answer).map_err(|_| ClientError::BadAnswer {
            what,
            why: format!("the answer is not {shape}"),
        })
    }
}
