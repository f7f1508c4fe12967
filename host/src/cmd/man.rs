//! `tokensign man`: the man page, generated from the clap definitions.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::common::write_out;
use super::exit::CliError;
use super::Io;
use crate::show::{io_reason, show_path};

/// `tokensign man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `tokensign.1` and one `tokensign-<command>.1` per command into
    /// this directory (created if missing) instead of printing
    /// `tokensign.1` on stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The pages: (file name, roff text), `tokensign.1` first.
pub fn pages() -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let render = |cmd: clap::Command| -> Result<Vec<u8>, CliError> {
        let mut out = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut out)
            .map_err(|e| CliError::internal(format!("cannot render the man page: {e}")))?;
        Ok(out)
    };
    let mut root = super::cli_command();
    root.build();
    let mut pages = vec![("tokensign.1".to_owned(), render(root.clone())?)];
    let mut todo: Vec<(String, String, clap::Command)> = root
        .get_subcommands()
        .map(|sub| ("tokensign".to_owned(), "tokensign".to_owned(), sub.clone()))
        .collect();
    // Depth first, every level: `multisig create` is
    // `tokensign-multisig-create(1)`, which `tokensign-multisig(1)` names.
    while let Some((parent_page, parent_bin, sub)) = todo.pop() {
        let name = format!("{parent_page}-{}", sub.get_name());
        let bin = format!("{parent_bin} {}", sub.get_name());
        todo.extend(
            sub.get_subcommands()
                .map(|s| (name.clone(), bin.clone(), s.clone())),
        );
        let page = sub.clone().name(name.clone()).bin_name(bin.clone());
        pages.push((format!("{name}.1"), render(page)?));
    }
    Ok(pages)
}

/// Runs `man`.
pub fn run(args: &ManArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let pages = pages()?;
    let Some(dir) = &args.dir else {
        let (_, root) = pages
            .first()
            .ok_or_else(|| CliError::internal("no man page was generated"))?;
        return write_out(io.out, &String::from_utf8_lossy(root));
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::bad_input(format!(
            "cannot create {}: {}",
            show_path(dir),
            io_reason(e.kind())
        ))
    })?;
    let mut written = Vec::new();
    for (name, text) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| {
            CliError::bad_input(format!(
                "cannot write {}: {}",
                show_path(&path),
                io_reason(e.kind())
            ))
        })?;
        written.push(path.display().to_string());
    }
    if json_mode {
        return write_out(io.out, &format!("{}\n", json!({ "written": written })));
    }
    write_out(io.out, &format!("{}\n", written.join("\n")))
}
