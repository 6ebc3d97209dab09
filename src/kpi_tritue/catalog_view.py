"""The catalog as a table or JSON for `kpi indicators`; light (no pandas) so it starts fast."""

from __future__ import annotations

import json

from rich.table import Table

from kpi_tritue.catalog import Catalog
from kpi_tritue.formatting import format_target
from kpi_tritue.i18n import Lang

_HEADERS: dict[Lang, tuple[str, ...]] = {
    "vi": ("Mã", "Chỉ tiêu", "Mục", "Mục tiêu", "Năm"),
    "en": ("ID", "Indicator", "Clause", "Target", "Year"),
}


def catalog_table(catalog: Catalog, lang: Lang) -> Table:
    table = Table(title=catalog.name_vi if lang == "vi" else catalog.name_en)
    id_, name, clause, target, year = _HEADERS[lang]
    table.add_column(id_, no_wrap=True, style="dim")
    table.add_column(name, overflow="fold", ratio=1)
    table.add_column(clause, no_wrap=True)
    table.add_column(target, justify="right", no_wrap=True)
    table.add_column(year, justify="right", no_wrap=True)
    for indicator in catalog.indicators:
        result_target = indicator.target_result
        table.add_row(
            indicator.id,
            indicator.name_vi if lang == "vi" else indicator.name_en,
            indicator.clause,
            format_target(indicator.unit, result_target, lang, horizon=None).split(" (")[0],
            str(result_target.year) if result_target is not None else "—",
        )
    return table


def catalog_json(catalog: Catalog, lang: Lang) -> str:
    document = {
        "catalog": catalog.id,
        "name": catalog.name_vi if lang == "vi" else catalog.name_en,
        "indicators": [
            {
                "id": indicator.id,
                "name": indicator.name_vi if lang == "vi" else indicator.name_en,
                "clause": indicator.clause,
                "field": indicator.field,
                "unit": indicator.unit,
                "target": None
                if indicator.target_result is None
                else indicator.target_result.to_dict(),
            }
            for indicator in catalog.indicators
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
