//! The firmware's two builds: built in their own workspace (or named by a
//! variable), and what each ELF file says (flash, which backend is linked).

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

pub fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The firmware's two builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    K256,
    Libsecp256k1,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::K256 => "k256",
            Backend::Libsecp256k1 => "libsecp256k1",
        }
    }

    /// The variable that names a built firmware instead.
    fn env(self) -> &'static str {
        match self {
            Backend::K256 => "TOKENSIGN_FIRMWARE",
            Backend::Libsecp256k1 => "TOKENSIGN_FIRMWARE_LIBSECP256K1",
        }
    }

    /// Cargo arguments and target directory (under tests/firmware) of the
    /// build; docs/embedded.md and .ci/run use the same.
    fn cargo_args(self) -> (&'static [&'static str], &'static str) {
        match self {
            Backend::K256 => (&[], "target"),
            Backend::Libsecp256k1 => (
                &["--no-default-features", "--features", "libsecp256k1"],
                "target/libsecp256k1",
            ),
        }
    }
}

/// Builds the firmware in its own workspace, with the outer cargo's
/// target and flag variables removed so they do not leak into it.
pub fn build_firmware(backend: Backend) -> PathBuf {
    if let Some(path) = std::env::var_os(backend.env()) {
        return PathBuf::from(path);
    }
    let dir = workspace_root().join("tests/firmware");
    let (args, target_dir) = backend.cargo_args();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // The firmware's .cargo/config.toml (target, linker script, C flags)
    // is found from the working directory.
    cmd.current_dir(&dir)
        .args(["build", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(args)
        .args(["--target-dir", target_dir]);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_TARGET_")
            || key.starts_with("CARGO_BUILD_")
            || key.starts_with("CARGO_PROFILE_")
            || key.starts_with("CARGO_ENCODED_")
            || key == "RUSTFLAGS"
            || key == "RUSTDOCFLAGS"
            || key == "CARGO_TARGET_DIR"
            || key == "CARGO_MAKEFLAGS"
            || key == "RUSTC_WORKSPACE_WRAPPER"
        {
            cmd.env_remove(&key);
        }
    }
    let status = cmd.status().expect("run cargo to build the firmware");
    assert!(
        status.success(),
        "{} firmware build failed: {status}",
        backend.name()
    );
    dir.join(target_dir)
        .join("thumbv7em-none-eabihf/release/tokensign-firmware")
}

/// What the ELF file says: flash (every allocated section with contents:
/// vector table, code, read-only data, the initial values of .data), and
/// whether k256 or libsecp256k1 code is linked.
pub struct Image {
    pub flash: u64,
    pub has_k256: bool,
    pub has_libsecp256k1: bool,
}

pub fn image(elf: &Path) -> Image {
    use object::{Object, ObjectSection, ObjectSymbol, SectionFlags, SectionKind};
    let data = std::fs::read(elf).unwrap_or_else(|e| panic!("read {}: {e}", elf.display()));
    let file = object::File::parse(&*data).expect("the firmware is an ELF file");
    let flash = file
        .sections()
        .filter(|s| {
            let alloc = matches!(s.flags(), SectionFlags::Elf { sh_flags } if sh_flags & u64::from(object::elf::SHF_ALLOC) != 0);
            alloc && !matches!(s.kind(), SectionKind::UninitializedData | SectionKind::UninitializedTls)
        })
        .map(|s| s.size())
        .sum();
    // Mangled Rust names carry the crate's name with its length.
    let names: Vec<String> = file
        .symbols()
        .filter_map(|s| s.name().ok().map(str::to_owned))
        .collect();
    Image {
        flash,
        has_k256: names
            .iter()
            .any(|n| n.contains("4k256") || n.contains("14elliptic_curve")),
        has_libsecp256k1: names.iter().any(|n| n.starts_with("rustsecp256k1_")),
    }
}
