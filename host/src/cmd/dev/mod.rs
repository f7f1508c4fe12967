//! `tokensign dev …`: the local node's development controls (`/dev/…`):
//! set a balance or a nonce, send any operation as any address without
//! its key, switch the write mode and `read_only`, change fees, control
//! checkpoints, inject faults, take a snapshot of the whole state and
//! revert to it. Each prints what the node answered, as
//! lines or, with `--json`, the node's JSON.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

use super::amount::{whole_to_base, GivenAmount};
use super::common::{parse_address, read_json_input, write_out};
use super::exit::CliError;
use super::session::Network;
use super::Io;
use crate::api::dev::{
    BalanceSet, CheckpointClosed, CheckpointMode, CheckpointModeAnswer, CheckpointModeRequest,
    FaultRequest, FaultsAnswer, FeesAnswer, FeesRequest, Members, ModesAnswer, ModesRequest,
    NonceSet, RevertRequest, Reverted, SetBalanceRequest, SetNonceRequest, SnapshotTaken,
    SEND_CLAWBACK_FROM, SEND_FROM,
};
use crate::api::NativeWriteMode;
use crate::client::{Client, ClientConfig};
use crate::show::sanitize;

mod args;

pub use args::DevArgs;
use args::*;

/// Runs a `dev` command.
pub fn run(args: &DevArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let local = Network::Local.url();
    let url = args.url.as_deref().unwrap_or(&local).trim();
    let client = Client::new(
        url,
        ClientConfig {
            timeout: Duration::from_secs(args.timeout),
            max_wait: Duration::from_secs(args.timeout.saturating_mul(2)),
            ..ClientConfig::default()
        },
    )?;
    let out = Out { json_mode };
    match &args.command {
        DevCommand::SetBalance(a) => {
            let address = parse_address("--address", &a.address)?;
            let token = parse_address("--token", &a.token)?;
            let balance = match a.balance.given()? {
                GivenAmount::Base(units) => units.to_string(),
                GivenAmount::Tokens(text, Some(decimals)) => {
                    whole_to_base(&text, decimals)?.to_string()
                }
                GivenAmount::Tokens(text, None) => {
                    whole_to_base(&text, client.token_metadata(&token)?.decimals)?.to_string()
                }
            };
            let request = SetBalanceRequest {
                address: address.to_string(),
                token: token.to_string(),
                balance,
            };
            let done: BalanceSet = post(&client, "/dev/set_balance", Some(&request))?;
            out.show(io, &done, || {
                format!(
                    "balance of {} in {}: {} (was {}); supply {}\n",
                    done.address, done.token, done.balance, done.previous, done.supply
                )
            })
        }
        DevCommand::SetNonce(a) => {
            let request = SetNonceRequest {
                address: parse_address("--address", &a.address)?.to_string(),
                nonce: a.nonce,
            };
            let done: NonceSet = post(&client, "/dev/set_nonce", Some(&request))?;
            out.show(io, &done, || {
                format!(
                    "next nonce of {}: {} (was {})\n",
                    done.address, done.nonce, done.previous
                )
            })
        }
        DevCommand::Send(a) => {
            let from = parse_address("--from", &a.from)?;
            let bytes = read_json_input(&a.document, io.input, "the document")?;
            let body = send_body(&bytes, &from.to_string())?;
            let done: SendAnswer = post(&client, "/dev/send", Some(&body))?;
            out.show(io, &done, || match &done.token {
                Some(token) => format!("sent as {from}: {}\ntoken {token}\n", done.hash),
                None => format!("sent as {from}: {}\n", done.hash),
            })
        }
        DevCommand::Modes(a) => {
            let done: ModesAnswer = if a.write_mode.is_none() && a.read_only.is_none() {
                read(&client, "/dev/modes")?
            } else {
                let write_mode = a
                    .write_mode
                    .as_deref()
                    .map(|m| serde_json::from_value::<NativeWriteMode>(m.into()))
                    .transpose()
                    .map_err(|e| CliError::bad_input(format!("invalid --write-mode: {e}")))?;
                let request = ModesRequest {
                    write_mode,
                    read_only: a.read_only,
                };
                post(&client, "/dev/modes", Some(&request))?
            };
            out.show(io, &done, || {
                format!(
                    "write mode {}\nread_only  {}\n",
                    name_of(&done.write_mode),
                    done.read_only
                )
            })
        }
        DevCommand::Fees(a) => {
            let unchanged = a.flat.is_none()
                && a.token_fee.is_empty()
                && a.remove_token_fee.is_empty()
                && a.collector.is_none();
            let done: FeesAnswer = if unchanged {
                read(&client, "/dev/fees")?
            } else {
                post(&client, "/dev/fees", Some(&fees_request(a)?))?
            };
            out.show(io, &done, || {
                let mut text = format!(
                    "flat fee   {}\ncollector  {}\n",
                    done.flat,
                    done.collector.as_deref().unwrap_or("each token's issuer")
                );
                for (token, fee) in &done.per_token {
                    text.push_str(&format!("token {token}  {fee}\n"));
                }
                text
            })
        }
        DevCommand::CheckpointMode(a) => {
            let done: CheckpointModeAnswer = match a.mode {
                None if a.every.is_some() => {
                    return Err(CliError::bad_input(
                        "--every goes with the mode `interval`: run `tokensign dev \
                         checkpoint-mode interval --every MS`",
                    ))
                }
                None => read(&client, "/dev/checkpoint_mode")?,
                Some(mode) => {
                    let request = CheckpointModeRequest {
                        mode: match mode {
                            ModeName::Auto => CheckpointMode::Auto,
                            ModeName::PerWrite => CheckpointMode::PerWrite,
                            ModeName::Interval => CheckpointMode::Interval,
                            ModeName::Manual => CheckpointMode::Manual,
                        },
                        interval_ms: a.every,
                    };
                    post(&client, "/dev/checkpoint_mode", Some(&request))?
                }
            };
            out.show(io, &done, || {
                let every = done
                    .interval_ms
                    .map(|ms| format!(", every {ms} ms"))
                    .unwrap_or_default();
                format!(
                    "checkpoints: {}{every}; {} transaction(s) pending\n",
                    name_of(&done.mode),
                    done.pending
                )
            })
        }
        DevCommand::Checkpoint => {
            let done: CheckpointClosed = post(&client, "/dev/checkpoint", None::<&()>)?;
            out.show(io, &done, || {
                format!(
                    "checkpoint {} closed: {} transaction(s), hash {}\n",
                    done.number, done.transactions, done.hash
                )
            })
        }
        DevCommand::Fault(a) => {
            let request = FaultRequest {
                path: a.route.clone(),
                error_code: a.error_code.clone(),
                status: a.status,
                count: Some(a.count),
            };
            let done: FaultsAnswer = post(&client, "/dev/faults", Some(&request))?;
            out.show(io, &done, || faults_text(&done))
        }
        DevCommand::Faults => {
            let done: FaultsAnswer = read(&client, "/dev/faults")?;
            out.show(io, &done, || faults_text(&done))
        }
        DevCommand::ClearFaults => {
            let done: FaultsAnswer = post(&client, "/dev/clear_faults", None::<&()>)?;
            out.show(io, &done, || faults_text(&done))
        }
        DevCommand::Snapshot => {
            let done: SnapshotTaken = post(&client, "/dev/snapshot", None::<&()>)?;
            out.show(io, &done, || {
                format!(
                    "snapshot {} taken at checkpoint {}: `tokensign dev revert {}` returns to it\n",
                    done.id, done.checkpoint, done.id
                )
            })
        }
        DevCommand::Revert(a) => {
            let request = RevertRequest { id: a.id };
            let done: Reverted = post(&client, "/dev/revert", Some(&request))?;
            out.show(io, &done, || {
                format!(
                    "reverted to snapshot {}: the latest checkpoint is {} again\n",
                    done.id, done.checkpoint
                )
            })
        }
    }
}

/// The answer of `POST /dev/send`: `{"hash"}`, or `{"hash", "token"}`
/// for an issue.
#[derive(Debug, Serialize, serde::Deserialize)]
struct SendAnswer {
    hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

fn read<T: DeserializeOwned>(client: &Client<'_>, path: &str) -> Result<T, CliError> {
    Ok(client.dev_read(path, "the development control's answer")?)
}

fn post<T: DeserializeOwned>(
    client: &Client<'_>,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, CliError> {
    Ok(client.dev_control(path, body, "the development control's answer")?)
}

/// How an answer is printed.
struct Out {
    json_mode: bool,
}

impl Out {
    fn show<T: Serialize>(
        &self,
        io: &mut Io<'_>,
        answer: &T,
        text: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        if self.json_mode {
            let line = serde_json::to_string(answer)
                .map_err(|e| CliError::internal(format!("cannot write the answer: {e}")))?;
            return write_out(io.out, &format!("{line}\n"));
        }
        write_out(io.out, &sanitize_lines(&text()))
    }
}

/// The node's texts, without control characters (line ends kept).
fn sanitize_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => format!("{}\n", sanitize(line)),
            None => sanitize(line),
        })
        .collect()
}

/// The wire name of a snake_case enum value.
fn name_of(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn faults_text(answer: &FaultsAnswer) -> String {
    if answer.faults.is_empty() {
        return "no fault armed\n".to_owned();
    }
    answer
        .faults
        .iter()
        .map(|f| {
            format!(
                "{}: the next {} write(s) answer {} {}\n",
                f.path, f.remaining, f.status, f.error_code
            )
        })
        .collect()
}

fn fees_request(a: &FeesArgs) -> Result<FeesRequest, CliError> {
    let mut per_token = std::collections::BTreeMap::new();
    for entry in &a.token_fee {
        let (token, fee) = entry.split_once('=').ok_or_else(|| {
            CliError::bad_input(format!(
                "invalid --token-fee {:?}: write TOKEN=BASE_UNITS",
                sanitize(entry)
            ))
        })?;
        let token = parse_address("--token-fee", token)?;
        let fee = super::amount::base_units("--token-fee", fee)?.to_string();
        per_token.insert(token.to_string(), Some(fee));
    }
    for token in &a.remove_token_fee {
        let token = parse_address("--remove-token-fee", token)?;
        per_token.insert(token.to_string(), None);
    }
    Ok(FeesRequest {
        flat: a
            .flat
            .as_deref()
            .map(|f| super::amount::base_units("--flat", f).map(|a| a.to_string()))
            .transpose()?,
        per_token: (!per_token.is_empty()).then_some(per_token),
        collector: a
            .collector
            .as_deref()
            .map(|c| parse_address("--collector", c).map(|c| c.to_string()))
            .transpose()?,
    })
}

/// The body of `POST /dev/send`: the document's members and `from`; a
/// TokenClawback's own `from` (the holder) goes as `clawback_from`.
fn send_body(document: &[u8], from: &str) -> Result<Members, CliError> {
    let mut members: Members = serde_json::from_slice(document).map_err(|e| {
        CliError::bad_input(format!(
            "the document is not a JSON object ({e}): give an unsigned document with \
             \"operation\" and the operation's fields"
        ))
    })?;
    if let Some(name) = members.duplicate() {
        return Err(CliError::bad_input(format!(
            "the document has `{}` twice: give each member once",
            sanitize(name)
        )));
    }
    let clawback = members.string("operation").as_deref() == Some("TokenClawback");
    for (name, _) in &mut members.0 {
        if name == SEND_FROM {
            if !clawback {
                return Err(CliError::bad_input(
                    "the document has its own `from`: --from names the address to send as; \
                     leave `from` out of the document",
                ));
            }
            *name = SEND_CLAWBACK_FROM.to_owned();
        }
    }
    let from = RawValue::from_string(serde_json::Value::from(from).to_string())
        .map_err(|e| CliError::internal(format!("cannot write the body: {e}")))?;
    members.0.insert(0, (SEND_FROM.to_owned(), from));
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_body_adds_from_and_renames_a_clawbacks_holder() {
        let body = send_body(br#"{"operation":"Payment","value":"5"}"#, "0xab").unwrap();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"from":"0xab","operation":"Payment","value":"5"}"#
        );
        let body = send_body(br#"{"operation":"TokenClawback","from":"0xcd"}"#, "0xab").unwrap();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"from":"0xab","operation":"TokenClawback","clawback_from":"0xcd"}"#
        );
        assert!(send_body(br#"{"operation":"Payment","from":"0xcd"}"#, "0xab").is_err());
        assert!(send_body(br#"{"a":1,"a":2}"#, "0xab").is_err());
        assert!(send_body(b"[1]", "0xab").is_err());
    }
}
