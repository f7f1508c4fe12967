//! Which states the device's stateful targets reach: every input of a
//! corpus replayed through the target's check, each state a step reached
//! counted, then every state of the target's list that no input reached.
//! Run by `coverage.sh states`.
//!
//! - `device_setup` (`device_setup::states`): the wallet's state, the
//!   wrong-PIN count, the trusted signers, a power cut at each flash step
//!   of each storage update and what the reboot found;
//! - `device_protocol` (`device_states`): idle, receiving a sign request
//!   (none of it, its bytes so far by ranges, the buffer full), a request
//!   over the buffer, the reviews shown (each scheme and signer) approved
//!   or denied, the addresses shown confirmed or denied.
//!
//! Arguments: `[device_setup | device_protocol] [corpus dir...]`. Without
//! a target, both, each over its committed corpus; without directories,
//! the target's committed corpus (directories alone are a `device_setup`
//! corpus).

use std::collections::BTreeMap;

use tokensign_fuzz::{device_setup, device_states};

/// What one input reached, as report lines.
type Outcomes = fn(&[u8]) -> Vec<String>;
/// Every state a target's report counts.
type States = fn() -> Vec<String>;

const TARGETS: [(&str, Outcomes, States); 2] = [
    (
        "device_setup",
        device_setup::states::outcomes,
        device_setup::states::states,
    ),
    (
        "device_protocol",
        device_states::outcomes,
        device_states::states,
    ),
];

fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let chosen: Vec<_> = match args.first() {
        Some(first) if TARGETS.iter().any(|(name, ..)| name == first) => {
            let first = args.remove(0);
            TARGETS.iter().filter(|(name, ..)| *name == first).collect()
        }
        Some(_) => TARGETS.iter().take(1).collect(),
        None => TARGETS.iter().collect(),
    };
    for (i, (name, outcomes, states)) in chosen.into_iter().enumerate() {
        if i > 0 {
            println!();
        }
        let dirs = if args.is_empty() {
            vec![format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"))]
        } else {
            args.clone()
        };
        report(name, &dirs, *outcomes, &states())?;
    }
    Ok(())
}

fn report(name: &str, dirs: &[String], outcomes: Outcomes, all: &[String]) -> std::io::Result<()> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs = 0;
    for dir in dirs {
        for entry in std::fs::read_dir(dir)? {
            let data = std::fs::read(entry?.path())?;
            inputs += 1;
            for label in outcomes(&data) {
                *counts.entry(label).or_default() += 1;
            }
        }
    }
    println!("{name}: {inputs} inputs");
    for state in all {
        if let Some(n) = counts.get(state) {
            println!("{n:>8}  {state}");
        }
    }
    let unreached: Vec<&String> = all.iter().filter(|s| !counts.contains_key(*s)).collect();
    println!(
        "states reached: {} of {}",
        all.len() - unreached.len(),
        all.len()
    );
    if unreached.is_empty() {
        println!("unreached: none");
    } else {
        println!("unreached:");
        for state in unreached {
            println!("  {state}");
        }
    }
    // A label the list lacks is a bug of the list (its test replays only
    // the committed corpus): say so.
    let unlisted: Vec<&String> = counts.keys().filter(|s| !all.contains(s)).collect();
    if !unlisted.is_empty() {
        println!("reached but not in the list (add them to it):");
        for state in unlisted {
            println!("  {state}");
        }
    }
    Ok(())
}
