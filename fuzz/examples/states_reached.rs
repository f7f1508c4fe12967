//! Which device states a `device_setup` corpus reaches: every input of the
//! given directories (default `corpus/device_setup`) replayed through the
//! target's check, each state a step reached counted (the wallet's state,
//! the wrong-PIN count, the trusted signers, a power cut at each flash step
//! of each set-up command and what the reboot found), then every state of
//! `device_setup::states::states()` that no input reached. Run by
//! `coverage.sh states`.

use std::collections::BTreeMap;

use tokensign_fuzz::device_setup::states;

fn main() -> std::io::Result<()> {
    let mut dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        dirs.push(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/device_setup").to_owned());
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs = 0;
    for dir in &dirs {
        for entry in std::fs::read_dir(dir)? {
            let data = std::fs::read(entry?.path())?;
            inputs += 1;
            for label in states::outcomes(&data) {
                *counts.entry(label).or_default() += 1;
            }
        }
    }
    let all = states::states();
    println!("{inputs} inputs");
    for state in &all {
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
    Ok(())
}
