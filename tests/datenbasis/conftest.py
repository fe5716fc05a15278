"""Helpers for Datenbasis tests: the Stabsstelle, a Planungsrunde member, uploads."""

from __future__ import annotations

import io

import pytest

from app.stammdaten.models import GremiumTyp


@pytest.fixture
def stab(make):
    return make.stabsstelle()


@pytest.fixture
def mitglied(make):
    """A member of the Planungsrunde (head of a city office)."""
    user = make.user()
    make.mitgliedschaft(make.gremium(GremiumTyp.PLANUNGSRUNDE), user)
    return user


@pytest.fixture
def raeume(make):
    return [make.sozialraum(name=f"Bereich {c}", nummer=n) for n, c in enumerate("ABC", start=1)]


@pytest.fixture
def upload(client, csrf_token):
    """``upload(art, content, filename)`` posts a file to the import form."""

    def post(art: str, content: bytes, filename: str = "werte.csv"):
        url = f"/datenbasis/import/{art}"
        token = csrf_token(client, url)
        return client.post(
            url,
            data={"csrf_token": token, "datei": (io.BytesIO(content), filename)},
            content_type="multipart/form-data",
        )

    return post
