//! Replays, without libFuzzer, every committed input through its target's
//! checks: the seed corpus (`corpus/<target>/`) and every crash ever found
//! (`regressions/<target>/`). A regression input that panics again fails
//! here, by name.

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    out.sort();
    out
}

fn replay(kind: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(kind);
    let mut count = 0;
    for (target, check) in tokensign_fuzz::TARGETS {
        for path in files(&root.join(target)) {
            let data = fs::read(&path).expect("readable");
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{target}: {} fails", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn seed_corpus_passes() {
    assert!(replay("corpus") > 0, "the seed corpus is committed");
}

#[test]
fn every_regression_input_passes() {
    replay("regressions");
}

#[test]
fn committed_seeds_are_the_generated_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in tokensign_fuzz::TARGETS {
        let seeds = tokensign_fuzz::seeds::seeds(target);
        assert!(!seeds.is_empty(), "{target} has seeds");
        let mut names = Vec::new();
        for (name, bytes) in seeds {
            let file = format!("seed-{name}");
            let path = root.join(target).join(&file);
            let committed = fs::read(&path).unwrap_or_default();
            assert!(
                committed == bytes,
                "{} is stale: run `cargo run --example make_seeds`",
                path.display()
            );
            assert!(!names.contains(&file), "{target}: two seeds named {file}");
            names.push(file);
        }
        // No seed the generator no longer makes.
        for path in files(&root.join(target)) {
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(
                !file.starts_with("seed-") || names.iter().any(|n| n == file),
                "{} is not generated any more: run `cargo run --example make_seeds`",
                path.display()
            );
        }
    }
}

#[test]
fn every_target_has_a_bin_and_a_corpus() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .expect("Cargo.toml");
    for (target, _) in tokensign_fuzz::TARGETS {
        assert!(
            manifest.contains(&format!("\n[[bin]]\nname = \"{target}\"\n")),
            "{target} has a [[bin]] in Cargo.toml"
        );
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target);
        assert!(
            !files(&corpus).is_empty(),
            "{target} has a committed corpus"
        );
    }
}
