//! The flags of `tokensign device …`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `tokensign device`.
#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// What to ask the device.
    #[command(subcommand)]
    pub command: DeviceCommand,
}

/// The device's commands.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Print the address of a key; with --confirm the device shows it (and
    /// its path) and waits for you to confirm it matches.
    Address {
        /// Have the device show the address and wait for your confirmation.
        #[arg(long)]
        confirm: bool,
    },
    /// Print the compressed public key of a key (33 bytes, hex), as a
    /// multisig's signer list takes it.
    PublicKey,
    /// Print the device's protocol version and core version.
    Version,
    /// Print the wallet's state: empty, locked or unlocked, PIN attempts
    /// left, trusted definition signers.
    Status,
    /// Set up an empty device: a new seed made on the device (--generate;
    /// its words are shown on the device only) or restored from words
    /// (--restore-file), kept under a new PIN.
    Setup(SetupArgs),
    /// Unlock the device with its PIN (--pin-file, or asked).
    Unlock,
    /// Lock the device: it forgets the seed until the next unlock.
    Lock,
    /// Change the PIN (asks for the old one, then the new one twice).
    ChangePin(ChangePinArgs),
    /// Wipe the device's seed, PIN and trusted signers (confirm on the
    /// device). Have your recovery words at hand.
    Wipe,
    /// Trust token definitions signed by ADDR: the device asks you to
    /// confirm, then keeps the signer.
    Trust {
        /// The definitions signer's address (0x + 40 hex digits).
        #[arg(value_name = "ADDR")]
        address: String,
    },
}

/// `device setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Make a new seed on the device from its random source; write down
    /// the words it shows.
    #[arg(
        long,
        conflicts_with = "restore_file",
        required_unless_present = "restore_file"
    )]
    pub generate: bool,
    /// Words of a new seed: 12 or 24.
    #[arg(long, value_enum, default_value_t = WordCount::W24, requires = "generate")]
    pub words: WordCount,
    /// Restore from the recovery words in FILE (sent to the device:
    /// emulated and QEMU devices only, behind a warning page).
    #[arg(long, value_name = "FILE")]
    pub restore_file: Option<PathBuf>,
}

/// Words of a new seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WordCount {
    /// 12 words (128 bits).
    #[value(name = "12")]
    W12,
    /// 24 words (256 bits).
    #[value(name = "24")]
    W24,
}

impl WordCount {
    /// The count.
    pub fn count(self) -> u8 {
        match self {
            WordCount::W12 => 12,
            WordCount::W24 => 24,
        }
    }
}

/// `device change-pin`.
#[derive(Debug, Args)]
pub struct ChangePinArgs {
    /// Read the new PIN from this file instead of asking twice.
    #[arg(long, value_name = "FILE")]
    pub new_pin_file: Option<PathBuf>,
}
