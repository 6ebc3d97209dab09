"""The languages `kpi` speaks: Vietnamese (the default) and English."""

from __future__ import annotations

from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
