//! State files on disk: read with a named refusal for each way a file can
//! be wrong, written so that a crash at any moment leaves either the old
//! file or the new one, never a part of one.

use std::io::Write;
use std::path::Path;

use super::document::{StateDocument, FORMAT, VERSION};
use super::StateError;
use crate::show::show_path;

/// The part of a document read before the rest: a file of another format
/// or version is refused by that, not by whichever field differs first.
#[derive(serde::Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u64>,
}

/// Parses `bytes` (the file `path`) as a state document.
pub fn parse(path: &str, bytes: &[u8]) -> Result<StateDocument, StateError> {
    let refuse = |e: serde_json::Error| {
        if e.is_eof() {
            StateError::Truncated {
                path: path.to_owned(),
                line: e.line(),
                column: e.column(),
            }
        } else {
            StateError::Malformed {
                path: path.to_owned(),
                reason: e.to_string(),
            }
        }
    };
    // The syntax of the whole file first: a cut-off file is truncated
    // whatever its first values are.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(refuse)?;
    let header: Header = serde_json::from_slice(bytes).map_err(refuse)?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(StateError::Malformed {
            path: path.to_owned(),
            reason: format!(
                "its \"format\" is {:?}, not {FORMAT:?} (a file of `tokensign node --dump-state`)",
                header.format.unwrap_or_default()
            ),
        });
    }
    match header.version {
        Some(v) if v == u64::from(VERSION) => {}
        found => {
            return Err(StateError::Version {
                path: path.to_owned(),
                found: found.unwrap_or(0),
                supported: VERSION,
            })
        }
    }
    serde_json::from_slice(bytes).map_err(refuse)
}

/// Reads the state file `path`.
pub fn read(path: &Path) -> Result<StateDocument, StateError> {
    let shown = show_path(path);
    let bytes = std::fs::read(path).map_err(|source| StateError::Read {
        path: shown.clone(),
        source,
    })?;
    parse(&shown, &bytes)
}

/// Writes `document` to `path` atomically: into a temporary file beside
/// it, fsynced, renamed over `path`, and the directory fsynced. A crash
/// before the rename leaves the previous file untouched (and a
/// `.tmp` file that the next dump replaces).
pub fn write_atomically(path: &Path, document: &StateDocument) -> Result<(), StateError> {
    let shown = show_path(path);
    let failed = |source| StateError::Write {
        path: shown.clone(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| failed(std::io::Error::other("the path names no file")))?;
    let mut temp_name = name.to_os_string();
    temp_name.push(".tmp");
    let temp = dir.join(temp_name);
    let write = || -> std::io::Result<()> {
        let file = std::fs::File::create(&temp)?;
        let mut out = std::io::BufWriter::new(file);
        serde_json::to_writer_pretty(&mut out, document)?;
        out.write_all(b"\n")?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        // The rename itself is durable once the directory is.
        #[cfg(unix)]
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(())
    };
    write().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_broken_file_is_refused_by_name() {
        let truncated = br#"{"format": "tokensign-node-state", "version": 1, "chain_id": 1, "acc"#;
        assert!(matches!(
            parse("s.json", truncated),
            Err(StateError::Truncated { .. })
        ));
        assert!(matches!(
            parse("s.json", b"[1, 2"),
            Err(StateError::Truncated { .. })
        ));
        assert!(matches!(
            parse("s.json", b"not json"),
            Err(StateError::Malformed { .. })
        ));
        assert!(matches!(
            parse("s.json", br#"{"format": "something else", "version": 1}"#),
            Err(StateError::Malformed { .. })
        ));
        match parse(
            "s.json",
            br#"{"format": "tokensign-node-state", "version": 7}"#,
        ) {
            Err(StateError::Version { found: 7, .. }) => {}
            other => panic!("{other:?}"),
        }
        // The right header, a missing part.
        assert!(matches!(
            parse(
                "s.json",
                br#"{"format": "tokensign-node-state", "version": 1, "chain_id": 1}"#
            ),
            Err(StateError::Malformed { .. })
        ));
    }
}
