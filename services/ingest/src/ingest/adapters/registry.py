"""Every adapter by its format name, as `sightline import --format` knows them."""

from __future__ import annotations

from ingest.adapters import (
    arxiv_atom,
    arxiv_oai,
    arxiv_snapshot,
    crossref,
    dblp_bibtex,
    dblp_xml,
    hf_daily,
    native,
    openalex,
    pubmed,
    semantic_scholar,
)
from ingest.adapters.base import Adapter

ADAPTERS: dict[str, Adapter] = {
    module.ADAPTER.name: module.ADAPTER
    for module in (
        arxiv_snapshot,
        arxiv_oai,
        arxiv_atom,
        openalex,
        crossref,
        pubmed,
        dblp_bibtex,
        dblp_xml,
        semantic_scholar,
        hf_daily,
        native,
    )
}


def adapter(name: str) -> Adapter:
    """The adapter for a format name; KeyError lists the known ones."""
    try:
        return ADAPTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(sorted(ADAPTERS))}") from None
