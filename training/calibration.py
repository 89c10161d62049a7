"""Write verify/data/calibration.txt: the sentences that fix the static int8 embedder's scales.

They come from the project's own template corpus (training/corpus.py, MIT), seeded, so the file
is the same on every run and carries no third-party text. On 500 sentences of real web pages,
scales fixed from these kept the int8 vectors as close to fp32 as scales fixed from other real
page sentences did (docs/performance.md, fifth round of issue 25).

    PYTHONPATH=. python -m training.calibration
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from training.corpus import entity_pool, make_article

TARGET = Path(__file__).resolve().parent.parent / "verify" / "data" / "calibration.txt"


def calibration_sentences(count: int = 400, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = entity_pool("train")
    sentences: list[str] = []
    while len(sentences) < count:
        sentences.extend(make_article(pool, rng).sentences)
    return sentences[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TARGET)
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args()
    args.out.write_text("\n".join(calibration_sentences(args.count)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
