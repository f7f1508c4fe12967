//! Step 4 of a write with `--multisig ACCOUNT`: sign as one member of the
//! account and write the partial signature file that `multisig combine`
//! assembles, instead of submitting.

use std::path::Path;

use tokensign_core::native::{self, Descriptor};
use tokensign_core::tx::Transaction;
use tokensign_core::{Address, Scheme};

use super::signing_refused;
use crate::cmd::common::{write_out, Notes};
use crate::cmd::exit::CliError;
use crate::cmd::review::{review_items, Resolved};
use crate::show::{hex0x, show_path};
use crate::signer::{partial, Signer, SigningInput};

/// Where the partial goes.
#[derive(Clone, Copy, Debug)]
pub struct Out<'a> {
    /// `--out FILE`, else stdout.
    pub file: Option<&'a Path>,
    /// `--json`.
    pub json_mode: bool,
    /// What the review shows besides the transaction.
    pub resolved: &'a Resolved,
}

/// Signs `tx` as one member of `account` and writes the partial file.
pub fn write(
    tx: &Transaction,
    account: Address,
    signer: &dyn Signer,
    to: &Out<'_>,
    out: &mut dyn std::io::Write,
    notes: &Notes<'_>,
) -> Result<(), CliError> {
    let normalized = native::normalize(tx.clone());
    let descriptor = Descriptor::Multisig(account);
    let input = SigningInput::native(&normalized, descriptor);
    let review = format!(
        "{}  member            {}\n  signing hash      {}\n",
        review_items(&normalized, Scheme::Native, descriptor, to.resolved)?,
        signer.address(),
        hex0x(input.digest())
    );
    if to.json_mode || to.file.is_none() {
        notes.write(&review)?;
    } else {
        write_out(out, &review)?;
    }
    let part = partial::sign_input(signer, &input, account).map_err(signing_refused)?;
    let text = part.to_json()?;
    // A device's own pages on stderr; with --json and --out, also in the
    // object printed (without --out, stdout is the file itself).
    let mut device = serde_json::Map::new();
    super::finish::device_screen(signer, to.json_mode, &mut device, notes)?;
    match to.file {
        Some(path) => {
            partial::write_new(path, &text)?;
            let summary = format!(
                "Partial signature of {} for multisig account {account} by {} written to {}.\n\
                 Give every member's file to `tokensign multisig combine`.\n",
                tx.op_type(),
                signer.address(),
                show_path(path)
            );
            if to.json_mode {
                notes.write(&summary)?;
                let mut object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&text).map_err(|e| {
                        CliError::internal(format!("cannot read back the partial file: {e}"))
                    })?;
                object.extend(device);
                write_out(out, &format!("{}\n", serde_json::Value::Object(object)))
            } else {
                write_out(out, &summary)
            }
        }
        None => write_out(out, &format!("{text}\n")),
    }
}
