from pathlib import Path

from kpi_tritue.render.contract_doc import render_document

DOC = Path(__file__).parent.parent / "docs" / "input-format.md"


def test_the_input_format_document_matches_the_contract() -> None:
    # Regenerate with: python scripts/make_docs.py
    assert DOC.read_text(encoding="utf-8") == render_document()


def test_every_sheet_and_column_is_documented_in_both_languages() -> None:
    from kpi_tritue.contract.schema import CONTRACT

    text = render_document()
    vietnamese, english = text.split("\n---\n")
    keys = [column.key for sheet in CONTRACT.sheets for column in sheet.columns]
    assert len(keys) > 20
    assert [k for k in keys if f"`{k}`" not in vietnamese or f"`{k}`" not in english] == []
