"""Write the generated documents: docs/input-format.md (the input contract) and
docs/indicators.md (the catalog's indicators in words). Tests keep both equal to what
this writes; run it after changing `contract/schema.py` or the shipped catalog.

    python scripts/make_docs.py
"""

from __future__ import annotations

from pathlib import Path

from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.render.contract_doc import render_document
from kpi_tritue.render.indicator_doc import indicators_document

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    for name, content in (
        ("input-format.md", render_document()),
        ("indicators.md", indicators_document(load_catalog())),
    ):
        path = DOCS / name
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(DOCS.parent)}")


if __name__ == "__main__":
    main()
