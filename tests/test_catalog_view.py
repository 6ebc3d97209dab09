"""`kpi indicators` lists the packaged catalog without pydantic: it must agree with it."""

from kpi_tritue.catalog import load_catalog
from kpi_tritue.catalog_view import catalog_json, catalog_listing, packaged_listing


def test_the_fast_listing_equals_the_validated_catalog() -> None:
    for lang in ("vi", "en"):
        assert catalog_json(packaged_listing(), lang) == catalog_json(
            catalog_listing(load_catalog()), lang
        )
