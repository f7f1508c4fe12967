//! The input of `server_handler`: a sequence of requests derived with
//! `arbitrary` ([`Requests`]): raw requests on any route, and built, signed
//! writes of the 14 operations; and the writer of its bytes
//! ([`Requests::to_bytes`], for the seeds).

use arbitrary::Arbitrary;
use axum::http::Method;

use crate::arbitrary_bytes::{self, Long, Short, Writer};
use crate::ledger_ops::NonceChoice;

/// Most requests run in one input.
pub const MAX_REQUESTS: usize = 8;

/// A request's method.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
    Head,
}

impl HttpMethod {
    const ALL: [HttpMethod; 5] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Delete,
        HttpMethod::Head,
    ];

    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Delete => Method::DELETE,
            HttpMethod::Head => Method::HEAD,
        }
    }
}

/// A request's `Content-Type`.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentType {
    Json,
    JsonUtf8,
    TextPlain,
    Absent,
}

impl ContentType {
    const ALL: [ContentType; 4] = [
        ContentType::Json,
        ContentType::JsonUtf8,
        ContentType::TextPlain,
        ContentType::Absent,
    ];

    /// The header's value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            ContentType::Json => Some("application/json"),
            ContentType::JsonUtf8 => Some("application/json; charset=utf-8"),
            ContentType::TextPlain => Some("text/plain"),
            ContentType::Absent => None,
        }
    }
}

/// Any request on one of the node's routes.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// Index into [`super::routes`] (modulo its length).
    pub route: u8,
    pub method: HttpMethod,
    pub content_type: ContentType,
    /// The query string (lossy UTF-8; spaces, `#` and line breaks sent as
    /// `%20`).
    pub query: Short,
    pub body: Long,
}

/// A valid signed write of any operation, built and signed from the input.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub struct BuiltWrite {
    /// The operation (index into `OpType::ALL`, modulo 14).
    pub op: u8,
    /// The signer (one of the node's four keys, modulo 4).
    pub signer: u8,
    /// v1 (legacy) when the operation has it, else v2.
    pub v1: bool,
    /// The nonce: the signer's next, one ahead or one behind.
    pub nonce: NonceChoice,
    /// Signed for mainnet instead of the node's testnet.
    pub wrong_chain: bool,
    /// On a token the node does not hold instead of its token.
    pub unknown_token: bool,
    /// The operation's fields (values, parties, actions; `operation_on`).
    pub fields: [u8; 4],
}

/// One request.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Raw(RawRequest),
    Write(BuiltWrite),
}

/// An input: the requests, in order (the first [`MAX_REQUESTS`] are sent).
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub struct Requests {
    pub requests: Vec<Request>,
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> u64 {
    all.iter()
        .position(|x| x == v)
        .expect("every variant listed") as u64
}

impl Requests {
    /// Reads an input from fuzz bytes (`arbitrary`); `None` for bytes
    /// `arbitrary` refuses.
    pub fn from_bytes(data: &[u8]) -> Option<Self> {
        arbitrary_bytes::read(data)
    }

    /// The bytes that `arbitrary` reads back as these requests.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for request in &self.requests {
            w.bool(true);
            match request {
                Request::Raw(r) => {
                    w.variant(0, 2).u8(r.route);
                    w.variant(index_of(&HttpMethod::ALL, &r.method), 5);
                    w.variant(index_of(&ContentType::ALL, &r.content_type), 4);
                    w.short(&r.query).long(&r.body);
                }
                Request::Write(b) => {
                    w.variant(1, 2).u8(b.op).u8(b.signer).bool(b.v1);
                    w.variant(b.nonce as u64, 3);
                    w.bool(b.wrong_chain).bool(b.unknown_token).array(&b.fields);
                }
            }
        }
        w.0
    }
}
