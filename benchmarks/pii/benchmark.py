"""Quality and speed of personal-data detection on the development corpus.

    python benchmarks/pii/generate_corpus.py   # (re)writes corpus.jsonl
    python benchmarks/pii/benchmark.py         # prints the figures
    python benchmarks/pii/benchmark.py -v      # and lists every miss and false hit

Recall: a gold value counts as caught only if no word or digit sequence of
it survives in the pseudonymised text: each one must lie inside a replaced
span (address markers such as "ул." or "кв." identify no one and are
skipped). Precision: the share of detected entities that touch a gold span;
confuser messages hold no personal data, so everything found there is a
false hit. Throughput: messages per second on
one core, after the models are loaded; "cold" starts with an empty word
cache, "warm" repeats the corpus.

The baseline is natasha's NER (PER) plus a phone and an e-mail regex.
"""

from __future__ import annotations

import os

# Figures are per core: keep numpy (under natasha's NER) on one thread.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from leadwire.models import Entity  # noqa: E402
from leadwire.pii import Detector, PlaceholderMap, Pseudonymizer  # noqa: E402
from leadwire.pii._language import analyse, ner_people  # noqa: E402
from leadwire.pii.builtins import built_in_recognizers  # noqa: E402

HERE = Path(__file__).parent
TOKEN = re.compile(r"[^\W\d_]+|\d+")

# Words of a gold value that identify no one ("ул", "д", "кв" of an address).
IGNORABLE = {
    "ADDRESS": {
        "ул", "улица", "д", "дом", "кв", "квартира", "корп", "к", "стр", "г",
        "пр", "т", "проспект", "пер", "бульвар",
    },
    "PASSPORT": {"серия", "номер"},
    "BIRTHDATE": {"г", "года"},
    "PHONE": {"доб"},
}  # fmt: skip


class _BaselineNames:
    name = "baseline-ner"
    entity_types = frozenset({"PERSON"})

    def find(self, text: str) -> Sequence[Entity]:
        return [
            Entity("PERSON", start, end, text[start:end])
            for start, end in ner_people(text)
        ]


class _BaselineRegex:
    name = "baseline-regex"
    entity_types = frozenset({"PHONE", "EMAIL"})
    _PHONE = re.compile(r"(?:\+7|8)[\s\-(]*\d{3}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}")
    _EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")

    def find(self, text: str) -> Sequence[Entity]:
        found = [
            Entity("PHONE", m.start(), m.end(), m.group())
            for m in self._PHONE.finditer(text)
        ]
        found += [
            Entity("EMAIL", m.start(), m.end(), m.group())
            for m in self._EMAIL.finditer(text)
        ]
        return found


def _hidden(text: str, span: dict, hidden: list[bool]) -> bool:
    """Whether every identifying word and digit run of a gold span was replaced."""
    ignorable = IGNORABLE.get(span["type"], set())
    for word in TOKEN.finditer(text, span["start"], span["end"]):
        if word.group().casefold().replace("ё", "е") in ignorable:
            continue
        if not all(hidden[word.start() : word.end()]):
            return False
    return True


def evaluate(detector: Detector, corpus: list[dict]) -> dict:
    pseudonymizer = Pseudonymizer(detector)
    gold_total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    detected: Counter[str] = Counter()
    touching: Counter[str] = Counter()
    confuser_hits: Counter[str] = Counter()
    clean_confusers = 0
    misses = []
    false_hits = []

    for record in corpus:
        text, spans = record["text"], record["spans"]
        result = pseudonymizer.pseudonymize(text, PlaceholderMap())
        hidden = [False] * len(text)
        for entity in result.entities:
            hidden[entity.start : entity.end] = [True] * (entity.end - entity.start)

        for span in spans:
            kind = span["type"]
            gold_total[kind] += 1
            if _hidden(text, span, hidden):
                caught[kind] += 1
            else:
                misses.append((record["id"], kind, text[span["start"] : span["end"]]))

        for entity in result.entities:
            detected[entity.type] += 1
            if any(s["start"] < entity.end and entity.start < s["end"] for s in spans):
                touching[entity.type] += 1
            else:
                false_hits.append((record["id"], entity.type, entity.value))
                if record["confuser"]:
                    confuser_hits[entity.type] += 1
        if record["confuser"] and not result.entities:
            clean_confusers += 1

    return {
        "gold": gold_total,
        "caught": caught,
        "detected": detected,
        "touching": touching,
        "confuser_hits": confuser_hits,
        "clean_confusers": clean_confusers,
        "confusers": sum(1 for r in corpus if r["confuser"]),
        "misses": misses,
        "false_hits": false_hits,
    }


def throughput(detector: Detector, corpus: list[dict], rounds: int) -> float:
    texts = [record["text"] for record in corpus]
    started = time.process_time()
    for _ in range(rounds):
        for text in texts:
            detector.detect(text)
    return rounds * len(texts) / (time.process_time() - started)


def report(title: str, figures: dict, cold: float, warm: float) -> None:
    print(f"\n== {title}")
    print(f"{'type':<10}{'gold':>6}{'recall':>9}{'found':>7}{'precision':>11}")
    kinds = sorted(set(figures["gold"]) | set(figures["detected"]))
    for kind in kinds:
        gold, caught = figures["gold"][kind], figures["caught"][kind]
        found, touching = figures["detected"][kind], figures["touching"][kind]
        recall = f"{caught / gold:.3f}" if gold else "-"
        precision = f"{touching / found:.3f}" if found else "-"
        print(f"{kind:<10}{gold:>6}{recall:>9}{found:>7}{precision:>11}")
    gold, caught = sum(figures["gold"].values()), sum(figures["caught"].values())
    found, touching = (
        sum(figures["detected"].values()),
        sum(figures["touching"].values()),
    )
    precision = touching / max(found, 1)
    print(f"{'overall':<10}{gold:>6}{caught / gold:>9.3f}{found:>7}{precision:>11.3f}")
    print(
        f"confuser messages without a false hit: {figures['clean_confusers']}/"
        f"{figures['confusers']} (false hits by type: "
        f"{dict(figures['confuser_hits']) or 'none'})"
    )
    print(f"throughput: {cold:.0f} msg/s/core cold cache, {warm:.0f} warm")


def main() -> None:
    parser = argparse.ArgumentParser(description="PII detection figures")
    parser.add_argument("corpus", nargs="?", type=Path, default=HERE / "corpus.jsonl")
    parser.add_argument("-v", "--verbose", action="store_true", help="list errors")
    arguments = parser.parse_args()
    lines = arguments.corpus.read_text("utf-8").splitlines()
    corpus = [json.loads(line) for line in lines]
    verbose = arguments.verbose
    spans = sum(len(record["spans"]) for record in corpus)
    print(f"corpus: {len(corpus)} messages, {spans} gold spans")

    for title, recognizers in (
        ("leadwire.pii (built-in recognizers)", built_in_recognizers()),
        (
            "baseline: natasha NER + phone/e-mail regex",
            [_BaselineNames(), _BaselineRegex()],
        ),
    ):
        detector = Detector(recognizers)
        detector.load()
        ner_people("Анна")  # the baseline's model
        analyse.cache_clear()
        cold = throughput(detector, corpus, 1)
        warm = throughput(detector, corpus, 3)
        figures = evaluate(detector, corpus)
        report(title, figures, cold, warm)
        if verbose and recognizers[0].name != "baseline-ner":
            for miss in figures["misses"]:
                print("  MISS", *miss)
            for hit in figures["false_hits"]:
                print("  FALSE", *hit)


if __name__ == "__main__":
    main()
