"""Realistic synthetic sightings: the demo data of a checkout without ../shared, and benchmark load."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

GIVEN = [
    "Kaisheng",
    "Mingbao",
    "Aojun",
    "Wei",
    "Yuki",
    "Ana",
    "Lars",
    "Priya",
    "Omar",
    "Chloé",
    "Jun",
    "Elena",
]
FAMILY = [
    "Ma",
    "Lin",
    "Zhou",
    "Zhang",
    "Tanaka",
    "García",
    "Nilsson",
    "Iyer",
    "Haddad",
    "Dubois",
    "Müller",
    "Rossi",
]
INSTITUTIONS = [
    "Tsinghua University",
    "Xiamen University",
    "SenseTime Research",
    "University of Oxford",
    "ETH Zürich",
    "Max Planck Institute for Informatics",
    "University of Tokyo",
    "Carnegie Mellon University",
]
TOPICS = [
    ("network pruning", "Structured sparsity for efficient convolutional networks"),
    ("knowledge distillation", "Distilling self-supervised teachers into compact students"),
    ("vision transformers", "Token merging for faster vision transformers"),
    ("quantization", "Post-training quantization of large language models"),
    ("neural architecture search", "Zero-cost proxies for architecture search"),
    ("diffusion models", "Few-step sampling for latent diffusion models"),
    ("federated learning", "Communication-efficient federated optimisation"),
    ("graph neural networks", "Over-smoothing in deep graph neural networks"),
]
VENUES = ["CVPR 2022", "NeurIPS 2023", "ICLR 2024", "ICCV 2023", "AAAI 2024", "TPAMI", "ECCV 2022"]
QUALIFIERS = ["Towards", "Rethinking", "Revisiting", "On", "Scaling", "Understanding", "Learning"]


def generate(count: int, seed: int = 7, start: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Yield `count` sightings of about count/2 papers by a small research community, with realistic overlap.

    Papers appear as arXiv preprints, often again as a Hugging Face Daily Papers entry (author count only), and
    some later with their publisher DOI; some carry ORCIDs, some HTML entities, as real crawls do.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    # Sightings span the recent past, ending about now, so none is ever in the future whatever `count` is.
    start = start or datetime.now(UTC) - timedelta(minutes=10 * count + 60 * 24)
    people = [(f"{g} {f}", _orcid(rng) if rng.random() < 0.4 else None) for g in GIVEN for f in FAMILY]
    affiliation = {name: rng.choice(INSTITUTIONS) for name, _ in people}
    produced, number = 0, 0
    while produced < count:
        number += 1
        topic, theme = rng.choice(TOPICS)
        authors = rng.sample(people, rng.randint(2, 7))
        year = rng.choice([2022, 2023, 2024, 2025])
        arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}"
        title = f"{rng.choice(QUALIFIERS)} {theme.lower()}: {topic} at scale ({number})"
        abstract = (
            f"We study {topic}. {theme} remains costly; we propose a method that is simple &amp; effective, "
            f"and report results on {rng.randint(3, 9)} benchmarks. Code is available."
        )
        seen = start + timedelta(minutes=number * 10)
        paper: dict[str, Any] = {
            "title": title,
            "abstract": abstract,
            "kind": "preprint",
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "identifiers": {"arxiv": f"{arxiv}v1"},
            "authors": [
                {"name": n, "orcid": o, "affiliations": [affiliation[n]] if rng.random() < 0.6 else []}
                for n, o in authors
            ],
            "keywords": [topic],
            "urls": {"pdf": f"https://arxiv.org/pdf/{arxiv}v1"},
        }
        versions: list[tuple[str, str, dict[str, Any], datetime]] = [
            ("arxiv", f"https://arxiv.org/abs/{arxiv}v1", paper, seen)
        ]
        if rng.random() < 0.5:
            hf: dict[str, Any] = {
                "title": title,
                "abstract": abstract,
                "author_count": len(authors),
                "identifiers": {"arxiv": arxiv},
            }
            versions.append(
                ("hf_daily_papers", f"https://huggingface.co/papers/{arxiv}", hf, seen + timedelta(hours=6))
            )
        if rng.random() < 0.3:
            doi = f"10.1109/{rng.choice(['cvpr', 'iccv', 'tpami'])}.{year}.{rng.randint(10000, 99999)}"
            published = {
                **paper,
                "kind": "proceedings",
                "venue": rng.choice(VENUES),
                "identifiers": {"doi": doi},
            }
            versions.append(("crossref", f"https://doi.org/{doi}", published, seen + timedelta(hours=20)))
        for source, url, body, when in versions:
            if produced == count:
                return
            produced += 1
            yield {"source": source, "source_url": url, "seen_at": when.isoformat(), "paper": body}


def _orcid(rng: random.Random) -> str:
    digits = "0000000" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def write_demo(path: Path, count: int) -> int:
    """Write generated sightings as JSON lines (the `sightings` import format); returns how many."""
    with path.open("wb") as out:
        for item in generate(count):
            out.write(orjson.dumps(item) + b"\n")
    return count
