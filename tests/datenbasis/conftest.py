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


def job_id(response) -> int:
    """The import job's id from the redirect after an upload."""
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def jobs(app):
    """Run an import job's steps here, through the task entry points the worker calls."""
    from app.datenbasis import tasks

    class Jobs:
        @staticmethod
        def check(response) -> int:
            datei_id = job_id(response)
            tasks.import_pruefen(datei_id)
            return datei_id

        @staticmethod
        def run_import(datei_id: int) -> str:
            return tasks.import_ausfuehren(datei_id)

    return Jobs()


@pytest.fixture
def confirm(client, csrf_token, jobs):
    """``confirm(datei_id)`` presses "Jetzt importieren" and lets the job import."""

    def press(datei_id: int, run: bool = True):
        url = f"/datenbasis/import/datei/{datei_id}"
        response = client.post(f"{url}/bestaetigen", data={"csrf_token": csrf_token(client, url)})
        if run:
            jobs.run_import(datei_id)
        return response

    return press
