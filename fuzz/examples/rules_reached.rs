//! Which ledger rules a corpus of `ledger_ops` reaches: every input of the
//! given directories (default `corpus/ledger_ops`) replayed through the
//! target's check, each step's outcome counted (`admitted <op>`, `refused
//! <op> <Refusal>`, `before-ledger <why>`), then every refusal of the
//! ledger that no input reached. Run by `coverage.sh rules`.
//!
//! With `--each` first, it also prints every input's refusals (`<file>:
//! <Refusal> ...`), to pick the inputs of a run that reach a refusal
//! nothing committed reaches.

use std::collections::BTreeMap;

fn main() -> std::io::Result<()> {
    let mut dirs: Vec<String> = std::env::args().skip(1).collect();
    let each = dirs.first().is_some_and(|d| d == "--each");
    if each {
        dirs.remove(0);
    }
    if dirs.is_empty() {
        dirs.push(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ledger_ops").to_owned());
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs = 0;
    for dir in &dirs {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let data = std::fs::read(&path)?;
            inputs += 1;
            let labels = tokensign_fuzz::ledger_ops::outcomes(&data);
            if each {
                let refused: Vec<&str> = labels
                    .iter()
                    .filter_map(|l| l.strip_prefix("refused "))
                    .filter_map(|l| l.split(' ').nth(1))
                    .collect();
                println!("{}: {}", path.display(), refused.join(" "));
            }
            for label in labels {
                *counts.entry(label).or_default() += 1;
            }
        }
    }
    println!("{inputs} inputs");
    for (label, n) in &counts {
        println!("{n:>8}  {label}");
    }
    let reached: Vec<&str> = counts
        .keys()
        .filter_map(|l| l.strip_prefix("refused "))
        .filter_map(|l| l.split(' ').nth(1))
        .collect();
    let unreached: Vec<&str> = tokensign_fuzz::ledger_ops::REFUSALS
        .iter()
        .copied()
        .filter(|r| !reached.contains(r))
        .collect();
    println!(
        "refusals reached: {} of {}",
        tokensign_fuzz::ledger_ops::REFUSALS.len() - unreached.len(),
        tokensign_fuzz::ledger_ops::REFUSALS.len()
    );
    if unreached.is_empty() {
        println!("unreached: none");
    } else {
        println!("unreached: {}", unreached.join(" "));
    }
    Ok(())
}
