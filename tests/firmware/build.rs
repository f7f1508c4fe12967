//! Writes memory.x (from memory.x.in; not named memory.x itself, which the
//! linker would find first in the crate directory) where the linker finds
//! it, for cortex-m-rt's link.x, with
//! the flash limit of the build's backend.
use std::{env, fs, path::PathBuf};

/// The k256 build's flash limit, as memory.x writes it.
const K256_FLASH: &str = "LENGTH = 96K";
/// The libsecp256k1 build's (tests/tests/qemu.rs checks the same figure).
const LIBSECP256K1_FLASH: &str = "LENGTH = 108K";

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let memory = include_str!("memory.x.in");
    assert!(
        memory.contains(K256_FLASH),
        "memory.x.in: FLASH must be {K256_FLASH}"
    );
    let memory = if env::var_os("CARGO_FEATURE_LIBSECP256K1").is_some() {
        memory.replacen(K256_FLASH, LIBSECP256K1_FLASH, 1)
    } else {
        memory.to_owned()
    };
    fs::write(out.join("memory.x"), memory).expect("write memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x.in");
    println!("cargo:rerun-if-changed=build.rs");
}
