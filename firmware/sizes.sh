#!/usr/bin/env bash
# Prints each board firmware's flash (.vector_table + .text + .rodata +
# .data's initial values) and static RAM (.data + .bss + .uninit), from its
# release ELF. Run after `cargo build --release` in firmware/. Needs
# arm-none-eabi-size (Debian: binutils-arm-none-eabi, with gcc-arm-none-eabi).
set -euo pipefail
cd "$(dirname "$0")"
for board in nrf52840 stm32f4; do
  elf="target/thumbv7em-none-eabihf/release/tokensign-$board"
  arm-none-eabi-size -A "$elf" | awk -v board="$board" '
    $1 == ".vector_table" || $1 == ".text" || $1 == ".rodata" { flash += $2 }
    $1 == ".data" { flash += $2; ram += $2 }
    $1 == ".bss" || $1 == ".uninit" { ram += $2 }
    END { printf "%s firmware: flash %d B, static RAM %d B\n", board, flash, ram }'
done
