"""`make bench`: vlabib against its peers on one 10,000-entry bib, in one run.

Reports median wall time and peak memory (max RSS of the process) over N runs, and the
ratios the targets are stated in. Writes nothing outside a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = ["efficient", "vision", "language", "action", "model", "robot", "manipulation", "token", "pruning", "caching", "quantization", "distillation", "policy", "diffusion", "transformer", "learning", "scalable", "generalist", "real-time", "inference", "embodied", "reasoning", "benchmark", "dataset", "adaptive", "sparse", "mixture", "experts"]
NAMES = ["Wei Li", "Yu Wang", "Marcel Rühle", "Ömer Yağmurlu", "Peter de With", "Jiaming Liu",
         "Chelsea Finn", "Sergey Levine", "Hao Zhao", "Donglin Wang", "Ana García", "Zoë Kravitz"]  # fmt: skip
VENUES = ["NeurIPS 2024", "ICLR 2025", "CoRL 2025", "ICRA 2025", "IEEE RA-L 2025", "CVPR 2025"]


def make_bib(n: int, seed: int = 20251124) -> str:
    """A canonical bib of *n* papers, the same for the same seed."""
    sys.path.insert(0, str(ROOT / "src"))
    from vlabib import bib
    from vlabib.model import Paper
    from vlabib.names import bibtex_name
    from vlabib.taxonomy import load_taxonomy
    from vlabib.tex import text_to_latex

    rng = random.Random(seed)
    leaves = [leaf.id for leaf in load_taxonomy(ROOT / "refs" / "taxonomy.toml", "t").leaves]
    papers = []
    for i in range(n):
        yymm = f"{rng.randint(20, 25):02d}{rng.randint(1, 12):02d}"
        key = f"{yymm}.{i:05d}"
        name = rng.choice(["Smol", "Tiny", "Fast", "Lite", "Spec", "Flow"]) + f"VLA{i}"
        title = f"{name}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
        fields = {
            "title": text_to_latex(title, protect=True),
            "author": " and ".join(
                text_to_latex(bibtex_name(rng.choice(NAMES))) for _ in range(rng.randint(2, 9))
            ),
            "year": f"20{yymm[:2]}",
            "month": ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"][int(yymm[2:]) - 1],
            "eprint": key,
            "archiveprefix": "arXiv",
            "primaryclass": rng.choice(["cs.RO", "cs.CV", "cs.LG"]),
            "url": f"https://arxiv.org/abs/{key}",
            "shortname": name,
            "keywords": ", ".join(sorted(set(rng.sample(leaves, rng.randint(1, 3))))),
        }
        if rng.random() < 0.4:
            fields["venue"] = rng.choice(VENUES)
        if rng.random() < 0.5:
            fields["code"] = f"https://github.com/lab{i}/{name.lower()}"
        papers.append(Paper(key, "misc", fields))
    return bib.write_string(papers)


def measure(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall seconds and max peak RSS (MB) over *runs* runs of *cmd*."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return statistics.median(times), max(peaks)


PEER = """
import sys, bibtexparser
from bibtexparser.middlewares import default_unparse_stack
lib = bibtexparser.parse_file(sys.argv[1])
bibtexparser.write_file(sys.argv[2], lib)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10_000, help="papers in the generated bib")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tidy = ROOT / ".bench" / "node_modules" / ".bin" / "bibtex-tidy"
    if not tidy.exists():
        raise SystemExit("bibtex-tidy is missing: run 'make bench' (it installs it with npm)")
    vlabib = str(BIN / "vlabib")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "refs").mkdir()
        shutil.copy(ROOT / "refs" / "taxonomy.toml", work / "refs" / "taxonomy.toml")
        (work / "refs" / "vla.bib").write_text(make_bib(args.n), encoding="utf-8")
        (work / "README.md").write_text("# Bench\n\n<!-- vlabib:begin papers -->\n<!-- vlabib:end papers -->\n")
        (work / "vlabib.toml").write_text("")
        subprocess.run([vlabib, "build"], cwd=work, check=True, stdout=subprocess.DEVNULL)
        (work / "peer.py").write_text(PEER)
        shutil.copy(work / "refs" / "vla.bib", work / "tidy.bib")
        rows = {
            "vlabib fmt": measure([vlabib, "fmt"], work, args.runs),
            "vlabib build": measure([vlabib, "build"], work, args.runs),
            "vlabib check": measure([vlabib, "check"], work, args.runs),
            "bibtexparser parse+write": measure(
                [sys.executable, "peer.py", "refs/vla.bib", "out.bib"], work, args.runs
            ),
            "bibtex-tidy": measure([str(tidy), "tidy.bib", "-o", "tidy.out.bib"], work, args.runs),
            "vlabib --help": measure([vlabib, "--help"], work, args.runs * 2),
            "vlabib build (survey, no-op)": measure([vlabib, "build"], ROOT, args.runs * 2),
        }
    t = {k: v[0] for k, v in rows.items()}
    peak = max(v[1] for k, v in rows.items() if k.startswith("vlabib"))
    print(f"# vlabib bench: {args.n:,} entries, median of {args.runs} runs")
    print(f"# {platform.node()}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    print()
    print(f"| {'command':<30} | {'median s':>9} | {'peak MB':>8} |")
    print(f"|{'-' * 32}|{'-' * 11}|{'-' * 10}|")
    for name, (secs, mb) in rows.items():
        print(f"| {name:<30} | {secs:>9.3f} | {mb:>8.1f} |")
    checks = [
        ("build / bibtexparser parse+write", t["vlabib build"] / t["bibtexparser parse+write"], 0.75),
        ("fmt / bibtex-tidy", t["vlabib fmt"] / t["bibtex-tidy"], 0.25),
        ("peak memory of vlabib (MB)", peak, 300),
        ("vlabib --help (s)", t["vlabib --help"], 0.150),
        ("no-op build of the survey (s)", t["vlabib build (survey, no-op)"], 0.3),
    ]
    print()
    print(f"| {'target':<34} | {'value':>8} | {'limit':>7} | met |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|-----|")
    for name, value, limit in checks:
        print(f"| {name:<34} | {value:>8.3f} | {limit:>7.3f} | {'yes' if value <= limit else 'NO':<3} |")
    if not all(v <= lim for _, v, lim in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
