"""Topics and institutions benchmark: classifications/s on real arXiv abstracts, coverage on ../shared/data."""

from __future__ import annotations

import json
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

from profiles.institutions import institutions
from profiles.topics import classify
from servicekit.testing import shared_data

Work = tuple[str, str | None, str | None, list[str], str | None]


def arxiv(data: Path) -> Iterator[Work]:
    """(source, title, abstract, keywords, venue) of the arXiv snapshot sample."""
    for line in (data / "arxiv_snapshot_sample" / "arxiv-metadata-oai-snapshot.head.jsonl").read_text().splitlines():
        record = json.loads(line)
        yield "arxiv", record["title"], record["abstract"], [], record.get("journal-ref")


def openalex(data: Path) -> Iterator[Work]:
    """The OpenAlex works sample, with its primary location's source as the venue."""
    for line in (data / "openalex_samples" / "works_200.jsonl").read_text().splitlines():
        record = json.loads(line)
        source = ((record.get("primary_location") or {}).get("source") or {}).get("display_name")
        yield "openalex", record["title"], record.get("abstract"), [], source


def medline_xml(data: Path) -> Iterator[str]:
    """The PubMed XML documents of the MEDLINE pairs archive."""
    with tarfile.open(data / "medline_pairs_train.tar.gz") as archive:
        for member in archive:
            handle = archive.extractfile(member) if member.name.endswith(".xml") else None
            if handle is not None:
                yield handle.read().decode("utf-8", errors="replace")


def between(text: str, start: str, end: str) -> list[str]:
    """Every piece of text between the two markers (PubMed XML is regular enough for a benchmark)."""
    return [piece.split(end, 1)[0] for piece in text.split(start)[1:]]


def medline(data: Path) -> Iterator[Work]:
    """PubMed articles: title, abstract, author keywords and journal."""
    for text in medline_xml(data):
        titles = between(text, "<ArticleTitle>", "</ArticleTitle>")
        if titles:
            abstract = " ".join(between(text, "<AbstractText", "</AbstractText>")) or None
            keywords = [word.split(">", 1)[-1] for word in between(text, "<Keyword", "</Keyword>")]
            yield "medline", titles[0], abstract, keywords, next(iter(between(text, "<Title>", "</Title>")), None)


def dblp(data: Path) -> Iterator[Work]:
    """DBLP BibTeX titles (no abstracts), with the journal or book title as the venue."""
    for path in sorted((data / "dblp_jun_zhang").glob("*.bib")):
        for entry in path.read_text().split("\n@")[1:]:
            fields = {}
            for name in ("title", "journal", "booktitle"):
                found = between(entry, f"  {name}", "},\n")
                if found:
                    fields[name] = " ".join(found[0].split("{", 1)[-1].replace("{", "").replace("}", "").split())
            if "title" in fields:
                yield "dblp", fields["title"], None, [], fields.get("journal") or fields.get("booktitle")


def speed(works: list[Work], rounds: int = 6, seconds: float = 0.5) -> float:
    """Classifications per CPU-second over the works on one core: the best of a few rounds (the machine is shared)."""
    classify(*works[0][1:])  # compile the matcher outside the timing
    best = 0.0
    for _ in range(rounds):
        done, start = 0, time.process_time()
        while time.process_time() - start < seconds:
            for _, title, abstract, keywords, venue in works:
                classify(title, abstract, keywords, venue)
            done += len(works)
        best = max(best, done / (time.process_time() - start))
    return best


def outputs(works: list[Work]) -> list[object]:
    """Every work classified as given, and with the roles of its texts swapped (unlimited): a behaviour fingerprint."""
    results: list[object] = []
    for _, title, abstract, keywords, venue in works:
        for hits in (
            classify(title, abstract, keywords, venue),
            classify(abstract, title, [*keywords, venue or ""], title, limit=1_000),
        ):
            results.append([[hit.topic_id, hit.name, hit.field, hit.score, list(hit.terms)] for hit in hits])
    return results


def golden(data: Path, mode: str, path: Path) -> None:
    """Save the outputs over every work of ../shared/data to `path`, or check that they are still identical."""
    works = [*arxiv(data), *openalex(data), *dblp(data), *medline(data)]
    found = outputs(works)
    if mode == "--save":
        path.write_text(json.dumps(found))
        print(f"saved the outputs of {len(works):,} works to {path}")
        return
    frozen = json.loads(path.read_text())
    differ = [index for index, (new, old) in enumerate(zip(found, frozen, strict=True)) if new != old]
    for index in differ[:20]:
        print(f"work {index // 2} {works[index // 2][:2]}:\n  frozen {frozen[index]}\n  now    {found[index]}")
    print(f"{len(works):,} works: {len(differ)} of {len(found):,} outputs differ from {path}")
    sys.exit(1 if differ else 0)


def main() -> None:
    """Print speed, then coverage (share of works with at least one topic) per source; or --save/--check outputs."""
    data = shared_data()
    if not data.is_dir():
        sys.exit(f"no sample data at {data}")
    if len(sys.argv) == 3 and sys.argv[1] in ("--save", "--check"):
        golden(data, sys.argv[1], Path(sys.argv[2]))
        return
    arxiv_works = list(arxiv(data))
    start = time.process_time()
    for _ in range(10_000_000):
        pass
    # This machine's pace, to compare runs across machines (a current desktop core takes about 0.13 s).
    print(f"reference: an empty 10M-iteration Python loop takes {time.process_time() - start:.2f} s of CPU here")
    print(f"classify: {speed(arxiv_works):,.0f} classifications/s (arXiv title + abstract + journal-ref, one core)")
    sources = (("arxiv", arxiv_works), ("openalex", list(openalex(data))), ("dblp", list(dblp(data))))
    for source, works in (*sources, ("medline", list(medline(data)))):
        hits = [classify(*work[1:]) for work in works]
        covered = sum(1 for found in hits if found) / len(works)
        per_work = sum(map(len, hits)) / len(works)
        print(f"{source:9} {len(works):5} works, {covered:6.1%} with a topic, {per_work:.2f} topics/work")
    affiliations = [text for xml in medline_xml(data) for text in between(xml, "<Affiliation>", "</Affiliation>")]
    start = time.process_time()
    found = [institutions(text) for text in affiliations]
    elapsed = time.process_time() - start
    named = sum(1 for result in found if result)
    with_country = sum(1 for result in found if any(item.country for item in result))
    print(
        f"institutions: {len(affiliations) / elapsed:,.0f} affiliations/s; {named / len(found):.1%} of {len(found):,} "
        f"PubMed affiliations name one, {with_country / len(found):.1%} with a country"
    )


if __name__ == "__main__":
    main()
