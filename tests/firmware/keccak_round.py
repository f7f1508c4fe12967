#!/usr/bin/env python3
"""Writes the rounds of tests/firmware/src/keccak_unrolled.rs (the keccak
study, BENCH 10 to 13), lane by lane, between its GENERATED markers.

    python3 tests/firmware/keccak_round.py [paired|planar]

paired (the default, what the file holds): word 2i is lane i's even bits,
2i + 1 its odd bits. planar: words 0..25 the even halves, 25..50 the odd
ones (measured 11,920 instructions a permutation against paired's 11,520:
LLVM formed no STM from the adjacent stores). docs/embedded.md, "Keccak on
the Cortex-M4", has the figures.

Lane i = x + 5y. theta: D[x] = C[x-1] ^ rot(C[x+1], 1). rho and pi: plane Y
of the output takes lane ((X + 3Y) mod 5, X) of the input, rotated left by
rho's offset for that lane; as an interleaved pair an even offset R rotates
both halves by R/2, an odd one swaps them (even <- odd rotated by R/2 + 1,
odd <- even rotated by R/2). chi then works on one half of a plane at a
time (it never mixes the even and odd bits); iota on lane (0, 0).
"""

import pathlib
import sys

RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15,
       21, 8, 18, 2, 61, 56, 14]


def generate(planar):
    def idx(i, h):
        return h * 25 + i if planar else 2 * i + h

    def didx(x, h):
        return f"d[{h}][{x}]" if planar else f"d[{x}][{h}]"

    dty = "[[u32; 5]; 2]" if planar else "[[u32; 2]; 5]"
    out = []
    w = out.append
    w("/// theta's D into `d`: for each column x, `C[x-1] ^ rot(C[x+1], 1)`, C")
    w("/// being the columns' parities (the fences as in [`round`]).")
    w("#[inline(never)]")
    w(f"fn theta(a: &[u32; 50], d: &mut {dty}) {{")
    for x in range(5):
        for h in range(2):
            terms = " ^ ".join(f"a[{idx(x + 5 * y, h)}]" for y in range(5))
            w(f"    {didx(x, h)} = {terms};")
        w("    compiler_fence(Ordering::SeqCst);")
    for x in range(5):
        w(f"    let c{x} = [{didx(x, 0)}, {didx(x, 1)}];")
    for x in range(5):
        p, q = (x + 4) % 5, (x + 1) % 5
        w(f"    {didx(x, 0)} = c{p}[0] ^ c{q}[1].rotate_left(1);")
        w(f"    {didx(x, 1)} = c{p}[1] ^ c{q}[0];")
    w("}")
    w("")
    w("/// One round from state `a` into state `e` with round constant `rc`")
    w("/// (`d` is theta's scratch, zeroed once per permutation rather than")
    w("/// per round). The compiler fences emit nothing: they keep LLVM from")
    w("/// loading every lane at the top and spilling them to the stack")
    w("/// (docs/embedded.md, \"Keccak on the Cortex-M4\").")
    w("#[inline(never)]")
    w(f"fn round(a: &[u32; 50], e: &mut [u32; 50], d: &mut {dty}, rc: [u32; 2]) {{")
    w("    theta(a, d);")
    w("    let d = &*d;")
    for y in range(5):
        for h in range(2):
            w(f"    // plane {y}, {'even' if h == 0 else 'odd'} halves")
            w("    compiler_fence(Ordering::SeqCst);")
            for x in range(5):
                xs = (x + 3 * y) % 5
                src = xs + 5 * x
                r = RHO[src]
                if r % 2 == 0:
                    sh, amt = h, r // 2
                else:
                    sh, amt = 1 - h, (r // 2 + 1 if h == 0 else r // 2)
                v = f"a[{idx(src, sh)}] ^ {didx(xs, sh)}"
                w(f"    let b{x} = ({v}).rotate_left({amt});" if amt else f"    let b{x} = {v};")
            for x in range(5):
                i = idx(x + 5 * y, h)
                rc = f" ^ rc[{h}]" if (y == 0 and x == 0) else ""
                w(f"    e[{i}] = b{x} ^ (!b{(x + 1) % 5} & b{(x + 2) % 5}){rc};")
    w("}")
    return "\n".join(out) + "\n"


def main():
    planar = len(sys.argv) > 1 and sys.argv[1] == "planar"
    path = pathlib.Path(__file__).parent / "src" / "keccak_unrolled.rs"
    text = path.read_text()
    begin = "// GENERATED-BEGIN (tests/firmware/keccak_round.py)\n"
    end = "// GENERATED-END\n"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    path.write_text(head + begin + generate(planar) + end + tail)


if __name__ == "__main__":
    main()
