//! Writes the seed corpus, made from the spec's vectors, to `corpus/<target>/`.
//!
//! Run from `fuzz/`: `cargo run --example make_seeds`. Files already there
//! (seeds of other origins, minimized inputs) are left alone.

use std::fs;
use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in tokensign_fuzz::TARGETS {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        for (name, bytes) in tokensign_fuzz::seeds::seeds(target) {
            fs::write(dir.join(format!("seed-{name}")), bytes)?;
        }
        println!(
            "{target}: {} seeds",
            tokensign_fuzz::seeds::seeds(target).len()
        );
    }
    Ok(())
}
