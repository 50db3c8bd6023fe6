"""Throughput of the contact-details detector on one core, over the labelled corpus.

python scripts/bench_detector.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from staydesk.messaging.detector import find_contact_details  # noqa: E402
from staydesk.messaging.detector.phones import _valid  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50, help="times the corpus is repeated")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    corpus = ROOT / "tests" / "messaging" / "corpus"
    texts = [
        json.loads(line)["text"]
        for path in sorted(corpus.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    messages = texts * args.repeat
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx(
            "for t in messages: find_contact_details(t, countries=('PL', 'CZ'))",
            globals(),
            {"messages": messages[: len(texts) * 5], "find_contact_details": find_contact_details},
            prof := str(Path(tempfile.mkdtemp()) / "bench_detector.prof"),
        )
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        return
    for text in texts:  # warm up: compiled regexes, phonenumbers metadata
        find_contact_details(text, countries=("PL", "CZ"))
    # The phone validation cache is emptied before every pass over the corpus, so repeating
    # the corpus does not turn every phonenumbers call into a cache hit.
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        _valid.cache_clear()
        for text in texts:
            find_contact_details(text, countries=("PL", "CZ"))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"{len(messages)} messages in {elapsed:.2f} s: {len(messages) / elapsed:,.0f} msg/s")
    print(f"(CPU time on this one core: {cpu:.2f} s: {len(messages) / cpu:,.0f} msg/s)")


if __name__ == "__main__":
    main()
