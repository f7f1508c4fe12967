#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench` run in bench/ (and, if it
was run, bench/notables/) as Markdown, with the ratios the issue's targets
are stated in. All ratios use numbers from one criterion run.

Also prints the pairwise ratios of the last `cargo bench --bench paired`
(target/paired.json), the figures the targets are judged on.

Usage: python3 bench/summarize.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


# The full sign paths (unsigned JSON in, request JSON out) and the SDK call
# for the same operation. Each path's bench is the selected backend
# (libsecp256k1 in bench/); `<name>_k256` is the same path on k256.
FULL_PATHS = [
    ("v1 token issue", "sign/core_full_sign_path", "sign/sdk_sign_transaction_payload"),
    ("v2 token issue", "sign/core_full_sign_path_v2_token_issue",
     "sign/sdk_sign_transaction_payload"),
    ("v2 payment", "sign/core_full_sign_path_v2_payment",
     "sign/sdk_sign_transaction_payload_payment"),
]


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
    # The full-sign-path targets (issue 12): ≤ 0.75 × bare k256 on
    # the libsecp256k1 backend, ≤ 1.03 × on k256; ≥ 2 × faster than the SDK.
    for label, path, sdk in FULL_PATHS:
        target(f"full sign path, {label}, libsecp256k1 backend / bare k256 sign", path,
               "sign/k256_sign_prehash_recoverable", m, 0.75, True)
        target(f"full sign path, {label}, k256 backend / bare k256 sign", path + "_k256",
               "sign/k256_sign_prehash_recoverable", m, 1.03, True)
        target(f"SDK call (v1) / full sign path, {label}, libsecp256k1 backend", sdk, path, m,
               2, False)
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
    print("#### Full sign path (unsigned JSON in, request JSON out), both backends, "
          "against the baselines (same run)\n")
    bare, secp = "sign/k256_sign_prehash_recoverable", "sign/secp256k1_sign_recoverable"
    print("| path | backend | median | × bare k256 sign | × bare libsecp256k1 sign "
          "| SDK call (v1, same operation) / path |")
    print("|---|---|---:|---:|---:|---:|")
    for label, path, sdk in FULL_PATHS:
        for backend, name in [("libsecp256k1", path), ("k256", path + "_k256")]:
            if name not in m:
                continue
            ratios = " | ".join(f"{m[name] / m[b]:.3f}" if b in m else "-" for b in (bare, secp))
            sdk_ratio = f"{m[sdk] / m[name]:.3f}" if sdk in m else "-"
            print(f"| {label} | {backend} | {fmt(m[name])} | {ratios} | {sdk_ratio} |")
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
    paired = os.path.join(HERE, "target", "paired.json")
    if os.path.isfile(paired):
        print("### The targets, measured pairwise (`cargo bench --bench paired`)\n")
        print("Each ratio from alternating 1 ms batches of its two sides; \"quiet\" is the "
              "ratio of each side's fastest tenth of batches (what the target is judged on), "
              "then the per-round ratios' median and quartiles.\n")
        print("| ratio | quiet batches | per-round median (quartiles) | wanted | |")
        print("|---|---:|---:|---:|---|")
        with open(paired) as f:
            for r in json.load(f):
                wanted, verdict = "", ""
                if r["limit"] is not None:
                    below = r["at_most"]
                    wanted = f"{'≤' if below else '≥'} {r['limit']}"
                    ok = r["quiet"] <= r["limit"] if below else r["quiet"] >= r["limit"]
                    verdict = "met" if ok else "NOT met"
                print(f"| {r['label']} | {r['quiet']:.3f} | {r['median']:.3f} "
                      f"({r['q1']:.3f}–{r['q3']:.3f}) | {wanted} | {verdict} |")
        print()
    n = medians(os.path.join(HERE, "notables"))
    if n:
        print("### Without precomputed tables (bench/notables/, the firmware configuration)\n")
        table(n, "notables/k256_sign_prehash_recoverable")


if __name__ == "__main__":
    main()
