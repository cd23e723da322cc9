"""The privacy screen's cost per note: `python -m bench.personal`.

Runs facilitate.core.personal.findings over every note of the labelled set
(tests/data/personal-notes.tsv) many times and prints microseconds per note: for all notes,
for the harmless and the personal ones, for the notes padded to about 100 and 280 characters
(the longest a note may be), and for the slowest shapes of note found so far. Figures, not
pass/fail: note posting is a hot path, and the aim is tens of microseconds or less for a
typical note.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from pathlib import Path

from facilitate.core.personal import findings

NOTES = Path(__file__).resolve().parents[1] / "tests" / "data" / "personal-notes.tsv"
FILLER = " og det skjer hver helg når det er mørkt ute"


def load() -> list[tuple[bool, str]]:
    with NOTES.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["personal"] == "1", row["text"]) for row in rows]


def padded(text: str, size: int) -> str:
    while len(text) < size:
        text += FILLER
    return text[:size]


def per_note(texts: list[str], rounds: int, repeat: int) -> float:
    """The best of `repeat` timings of `rounds` passes, in microseconds per note."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                findings(text)
        timings.append(time.perf_counter() - start)
    return min(timings) / (rounds * len(texts)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    notes = load()
    groups = {
        "all notes": [text for _, text in notes],
        "harmless": [text for personal, text in notes if not personal],
        "personal": [text for personal, text in notes if personal],
        "padded to 100 characters": [padded(text, 100) for _, text in notes],
        "padded to 280 characters": [padded(text, 280) for _, text in notes],
        # The slowest shapes found: every group of digits is tried as a phone number and as a
        # house number, every capitalised word as a first name.
        "280 chars of digit groups": ["1234 " * 56, "12 " * 93, "(0)" * 93],
        "280 chars of first names": ["Ola " * 70, "Ola Hansen " * 25],
    }
    print(f"{len(notes)} notes, best of {args.repeat} x {args.rounds} passes")
    print(f"{'notes':<26} {'chars':>6} {'µs/note':>8}")
    for name, texts in groups.items():
        chars = statistics.mean(len(text) for text in texts)
        print(f"{name:<26} {chars:>6.0f} {per_note(texts, args.rounds, args.repeat):>8.1f}")


if __name__ == "__main__":
    main()
