"""The Vorlage page names its collapsed sections (one per body in the sequence, and the forms)."""

from __future__ import annotations

from tests.support.klappen import assert_named_disclosures


def test_collapsed_sections_are_named(welt, client, login) -> None:
    login(welt.stab)
    body = client.get(f"/vorlagen/{welt.vorlage.id}").get_data(as_text=True)
    assert assert_named_disclosures(body, formen=False) == 5  # two bodies, three forms
    assert (
        'id="klappe-beratung-' in body and 'aria-labelledby="klappe-neue-fassung-erstellen"' in body
    )
