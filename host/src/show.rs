//! How the host shows things to people: text that came from outside (a
//! server's message, a file name, a device's reason) made safe for a
//! terminal, paths, hex, and the reasons of failed file operations. (The
//! core's `text.rs` is the rules of the texts a transaction signs.)

use std::path::Path;

/// Longest outside text shown, in bytes; longer text is cut with `…`.
pub const MAX_SHOWN: usize = 2000;

/// Strips control and bidirectional characters from text that came from
/// outside before it reaches a terminal, and bounds its length.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SHOWN));
    for c in text.chars() {
        if out.len() >= MAX_SHOWN {
            out.push('…');
            break;
        }
        if tokensign_core::text::is_screen_unsafe(c) {
            out.push(if c == '\n' || c == '\t' { ' ' } else { '?' });
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as it may be shown in a message: quoted and sanitized.
pub fn show_path(path: &Path) -> String {
    format!("{:?}", sanitize(&path.display().to_string()))
}

/// Why a file operation failed, for people: `no such file` rather than
/// the standard library's `entity not found`.
pub fn io_reason(kind: std::io::ErrorKind) -> String {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => "no such file or directory".into(),
        K::PermissionDenied => "permission denied".into(),
        K::AlreadyExists => "it already exists".into(),
        K::IsADirectory => "it is a directory".into(),
        K::NotADirectory => "a part of the path is not a directory".into(),
        K::InvalidData => "it is not valid text".into(),
        other => other.to_string(),
    }
}

/// Lower-case `0x` hex of any bytes.
pub fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Parses `0x` + 64 hex digits (any case).
pub fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    let mut out = [0u8; 32];
    hex::decode_to_slice(digits, &mut out).ok()?;
    Some(out)
}

/// Base units (canonical decimal text) as whole tokens of `decimals`
/// digits: `1500000` with 6 decimals is `1.5`, `7` is `0.000007`; exact,
/// no rounding, trailing fraction zeros dropped. Text that is not plain
/// digits comes back as it is.
pub fn whole_tokens(base_units: &str, decimals: u8) -> String {
    if base_units.is_empty() || !base_units.bytes().all(|b| b.is_ascii_digit()) {
        return base_units.to_owned();
    }
    let digits = base_units.trim_start_matches('0');
    let places = usize::from(decimals);
    let padded = format!("{digits:0>width$}", width = places + 1);
    let (whole, fraction) = padded.split_at(padded.len() - places);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_are_exact() {
        assert_eq!(whole_tokens("1500000", 6), "1.5");
        assert_eq!(whole_tokens("7", 6), "0.000007");
        assert_eq!(whole_tokens("0", 6), "0");
        assert_eq!(whole_tokens("1000000000000", 6), "1000000");
        assert_eq!(whole_tokens("42", 0), "42");
        assert_eq!(whole_tokens("12x", 2), "12x");
    }

    #[test]
    fn sanitize_strips_terminal_controls() {
        assert_eq!(sanitize("a\u{1b}[31mb\u{202e}c\nd"), "a?[31mb?c d");
        let long = "x".repeat(MAX_SHOWN + 10);
        assert!(sanitize(&long).ends_with('…'));
    }

    #[test]
    fn io_reasons_say_what_happened() {
        assert_eq!(
            io_reason(std::io::ErrorKind::NotFound),
            "no such file or directory"
        );
        assert_eq!(
            io_reason(std::io::ErrorKind::PermissionDenied),
            "permission denied"
        );
    }

    #[test]
    fn hex32_round_trip() {
        let h = [0xabu8; 32];
        assert_eq!(parse_hex32(&hex0x(&h)), Some(h));
        assert_eq!(
            parse_hex32(&hex0x(&h).to_uppercase().replace("0X", "0x")),
            Some(h)
        );
        assert_eq!(parse_hex32("abab"), None);
        assert_eq!(parse_hex32("0x12"), None);
    }
}
