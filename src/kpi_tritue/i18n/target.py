"""How a target without a number reads (`i18n/numbers.py`): a milestone done or not, an
indicator only tracked."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "target.done": {"vi": "Hoàn thành", "en": "Done"},
    "target.not_done": {"vi": "Chưa xong", "en": "Not done"},
    "target.tracked": {"vi": "theo dõi", "en": "tracked"},
}
