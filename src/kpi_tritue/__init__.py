"""kpi: the indicator calculator for Hà Tĩnh's intellectual-workforce plan to 2030."""

__version__ = "0.1.0"
