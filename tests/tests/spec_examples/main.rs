//! The examples `onemoney-transactions.md` derives (beyond its vector
//! files), through the core's public API: the scalar encodings of 3.2, the
//! nested lists and operations hash of 3.3, the v1 memo example of 3.4, the
//! constants of 4.1, the leading-zero `r` of 4.3, the worked example of
//! 4.6, the signed Payment of 5.3, the signed TokenIssue of 5.4 and the TS
//! SDK's low-S dummy, and the look-alike integers of 8.1.
//!
//! A module per section of the spec: encoding rules and JSON values (2.3,
//! 3), v2 hashing (4), v2 request bodies (5) and known pitfalls (8);
//! `support` holds the examples' shared transactions and helpers.

mod encoding;
mod hashing;
mod pitfalls;
mod request_bodies;
mod support;
