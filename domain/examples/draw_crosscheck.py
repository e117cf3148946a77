#!/usr/bin/env python3
"""Checks the Python reference implementation in docs/draw.md against domain::draw.

Runs the page's Python block exactly as it stands there: its own output against the page's
"Its output" block, then its list hash, commitment and order against the Rust example
(`cargo run -p domain --example draw -- publish`) on random lists, and its `uniform` against the
Rust generator for values of n that reject many words. Deterministic (random.Random(2026)).

    python3 domain/examples/draw_crosscheck.py
"""
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = open(os.path.join(ROOT, "docs", "draw.md"), encoding="utf-8").read()


def block_after(heading, lang):
    """The first fenced block of `lang` after `heading`."""
    rest = DOC[DOC.index(heading):]
    m = re.search(r"```" + lang + r"\n(.*?)```", rest, re.S)
    return m.group(1)


PYTHON = block_after("## A reference implementation in Python", "python")
EXPECTED_OUTPUT = block_after("Its output:", "")

ref = {"__name__": "draw_reference"}
exec(compile(PYTHON, "docs/draw.md", "exec"), ref)

subprocess.run(["cargo", "build", "-q", "-p", "domain", "--example", "draw"], cwd=ROOT, check=True)
EXAMPLE = os.path.join(ROOT, "target", "debug", "examples", "draw")


def rust(*args, stdin=""):
    out = subprocess.run([EXAMPLE, *args], input=stdin, capture_output=True, text=True, check=True)
    return out.stdout


# 1. The page's script prints what the page says it prints.
printed = subprocess.run([sys.executable, "-c", PYTHON], capture_output=True, text=True, check=True)
assert printed.stdout == EXPECTED_OUTPUT, printed.stdout
print("the page's Python prints the page's output")

# 2. Random lists.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHARS = "0123456789 ABCxyz.-:+抽签现场上证指数收盘年月日九龍🎲é"
rng = random.Random(2026)


def code():
    return "".join(rng.choice(ALPHABET) for _ in range(4))


def public_value():
    if rng.random() < 0.2:
        return ""
    v = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 200))).strip()
    return v


sizes = [0, 1, 2, 3, 8, 50, 100, 257, 1000, 1000, 4000, 10000, 30000, 65000]
for case, size in enumerate(sizes):
    tiers = rng.sample(range(256), rng.randint(1, 4))
    draw_code = code()
    numbers = set()
    while len(numbers) < size:
        numbers.add(draw_code + "-" + code())
    entries = [(n, rng.choice(tiers)) for n in numbers]
    rng.shuffle(entries)
    seed_hex = bytes(rng.getrandbits(8) for _ in range(32)).hex()
    value = public_value()
    capacity = rng.randint(0, max(size, 1))
    request = {
        "entries": [{"number": n, "tier": t} for n, t in entries],
        "seed": seed_hex,
        "public_value": value,
        "capacity": capacity,
    }
    published = json.loads(rust("publish", stdin=json.dumps(request)))
    assert published["list_hash"] == ref["list_hash"](entries).hex(), case
    assert published["commitment"] == ref["commitment"](bytes.fromhex(seed_hex)), case
    assert published["order"] == ref["draw"](entries, seed_hex, value), case
    assert rust("verify", stdin=json.dumps(published)) == "ok\n", case
    print(f"case {case}: {size} entries, tiers {sorted(tiers)}, "
          f"public value of {len(value.encode())} bytes: the same order")

# 3. Rejection: n where a quarter, nearly half, or almost no words are rejected.
for n in [3 << 62, (1 << 63) + 1, 10, 2**64 - 1, 1]:
    draw_seed = bytes(rng.getrandbits(8) for _ in range(32))
    stream = ref["words"](draw_seed)
    ours = [ref["uniform"](stream, n) for _ in range(2000)]
    theirs = [int(x) for x in rust("uniform", draw_seed.hex(), str(n), "2000").split()]
    assert ours == theirs, n
    print(f"uniform({n}): 2000 values the same")
print("all agree")
