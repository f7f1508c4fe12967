#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench` run in bench/ (and, if it
was run, bench/notables/) as Markdown, with the ratios the issue's targets
are stated in. All ratios use numbers from one criterion run.

Usage: python3 bench/summarize.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def medians(root):
    out = {}
    base = os.path.join(root, "target", "criterion")
    if not os.path.isdir(base):
        return out
    for group in sorted(os.listdir(base)):
        gdir = os.path.join(base, group)
        if not os.path.isdir(gdir) or group == "report":
            continue
        for name in sorted(os.listdir(gdir)):
            est = os.path.join(gdir, name, "new", "estimates.json")
            if os.path.isfile(est):
                with open(est) as f:
                    e = json.load(f)
                out[f"{group}/{name}"] = e["median"]["point_estimate"]
    return out


def fmt(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def table(m, ref_name):
    ref = m.get(ref_name)
    print(f"| bench | median | × {ref_name.split('/')[-1]} |")
    print("|---|---:|---:|")
    for k, v in m.items():
        ratio = f"{v / ref:.3f}" if ref else "-"
        print(f"| `{k}` | {fmt(v)} | {ratio} |")
    print()


def target(label, num, den, m, limit, want_below):
    if num not in m or den not in m:
        print(f"| {label} | missing | | |")
        return
    r = m[num] / m[den]
    met = r <= limit if want_below else r >= limit
    op = "≤" if want_below else "≥"
    print(f"| {label} | {r:.3f} | {op} {limit} | {'met' if met else 'NOT met'} |")


def main():
    m = medians(HERE)
    if not m:
        sys.exit("no criterion results: run `cargo bench` in bench/ first")
    print("### Main run (bench/, k256 precomputed tables on)\n")
    table(m, "sign/k256_sign_prehash_recoverable")
    print("| target | ratio | wanted | |")
    print("|---|---:|---:|---|")
    target("full sign path / bare k256 sign", "sign/core_full_sign_path",
           "sign/k256_sign_prehash_recoverable", m, 1.03, True)
    if "sign/sdk_sign_transaction_payload" in m and "sign/core_full_sign_path" in m:
        r = m["sign/sdk_sign_transaction_payload"] / m["sign/core_full_sign_path"]
        print(f"| SDK call / full sign path | {r:.3f} | ≥ 2 | {'met' if r >= 2 else 'NOT met'} |")
    target("request JSON → signer, selected backend (libsecp256k1) / libsecp recover",
           "recover/request_to_signer", "recover/secp256k1_recover", m, 1.2, True)
    target("request JSON → signer, k256 backend / libsecp recover", "recover/request_to_signer_k256",
           "recover/secp256k1_recover", m, 1.2, True)
    target("recover (k256's own, then address) / libsecp recover", "recover/k256_recover_hash",
           "recover/secp256k1_recover", m, 1.2, True)
    target("recover (k256 backend: lean) / libsecp recover", "recover/core_k256",
           "recover/secp256k1_recover", m, 1.2, True)
    target("recover (lean, one lincomb) / libsecp recover", "recover/lean_lincomb",
           "recover/secp256k1_recover", m, 1.2, True)
    target("recover (libsecp256k1 backend, to address) / libsecp recover",
           "recover/core_libsecp256k1", "recover/secp256k1_recover", m, 1.2, True)
    target("request JSON → signer, libsecp256k1 backend / libsecp recover",
           "recover/request_to_signer_libsecp256k1", "recover/secp256k1_recover", m, 1.2, True)
    print()
    print("#### The core's backends side by side (same run)\n")
    print("| | k256 backend | libsecp256k1 backend | libsecp256k1 / k256 |")
    print("|---|---:|---:|---:|")
    for label, k, s in [
        ("sign", "sign/core_k256", "sign/core_libsecp256k1"),
        ("sign, temporary context", "sign/core_k256", "sign/core_libsecp256k1_temporary_context"),
        ("recover (to address)", "recover/core_k256", "recover/core_libsecp256k1"),
        ("request JSON → signer", "recover/request_to_signer_k256",
         "recover/request_to_signer_libsecp256k1"),
    ]:
        if k in m and s in m:
            print(f"| {label} | {fmt(m[k])} | {fmt(m[s])} | {m[s] / m[k]:.3f} |")
    print()
    print("#### Full sign path (unsigned JSON in, request JSON out) against the baselines (same run)\n")
    baselines = [("bare k256", "sign/k256_sign_prehash_recoverable"),
                 ("libsecp256k1", "sign/secp256k1_sign_recoverable")]
    print("| path | median | " + " | ".join(f"× {label}" for label, _ in baselines)
          + " | SDK call (v1, same operation) / path |")
    print("|---|---:|" + "---:|" * len(baselines) + "---:|")
    for label, path, sdk in [
        ("v1 token issue", "sign/core_full_sign_path", "sign/sdk_sign_transaction_payload"),
        ("v2 token issue", "sign/core_full_sign_path_v2_token_issue",
         "sign/sdk_sign_transaction_payload"),
        ("v2 payment", "sign/core_full_sign_path_v2_payment",
         "sign/sdk_sign_transaction_payload_payment"),
    ]:
        if path not in m:
            continue
        ratios = " | ".join(f"{m[path] / m[b]:.3f}" if b in m else "-" for _, b in baselines)
        sdk_ratio = f"{m[sdk] / m[path]:.3f}" if sdk in m else "-"
        print(f"| {label} | {fmt(m[path])} | {ratios} | {sdk_ratio} |")
    print()
    ref = m.get("sign/k256_sign_prehash_recoverable")
    if ref:
        print("Against the issue's reference ratios (× bare k256 sign): "
              + ", ".join(
                  f"{k.split('/')[-1]} {m[k] / ref:.2f}"
                  for k in ["sign/secp256k1_sign_recoverable",
                            "sign/sdk_sign_transaction_payload",
                            "sign/sdk_sign_transaction_payload_payment",
                            "recover/k256_recover_from_prehash",
                            "recover/secp256k1_recover"] if k in m))
        print()
    n = medians(os.path.join(HERE, "notables"))
    if n:
        print("### Without precomputed tables (bench/notables/, the firmware configuration)\n")
        table(n, "notables/k256_sign_prehash_recoverable")


if __name__ == "__main__":
    main()
