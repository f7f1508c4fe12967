//! Writes the seed corpus, made from the spec's vectors, to `corpus/<target>/`.
//!
//! Run from `fuzz/`: `cargo run --example make_seeds`. Seeds (`seed-*`)
//! that the generator no longer makes are removed; other files (minimized
//! inputs, `min-*`) are left alone.

use std::fs;
use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, _) in tokensign_fuzz::TARGETS {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        let seeds = tokensign_fuzz::seeds::seeds(target);
        let names: Vec<String> = seeds.iter().map(|(n, _)| format!("seed-{n}")).collect();
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("seed-") && !names.iter().any(|n| n == name) {
                fs::remove_file(&path)?;
            }
        }
        for (name, bytes) in &seeds {
            fs::write(dir.join(format!("seed-{name}")), bytes)?;
        }
        println!("{target}: {} seeds", seeds.len());
    }
    Ok(())
}
