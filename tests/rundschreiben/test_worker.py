"""A Rundschreiben reaches its recipients through the worker and a real SMTP server."""

from __future__ import annotations

import io

import pytest

from tests.support.dateien import MINIMAL_PDF

pytestmark = pytest.mark.worker


def test_circular_to_all_traeger_is_delivered_with_its_attachment(
    app, ctx, client, login, csrf_token, celery_worker, smtp_server, welt
) -> None:
    login(welt.stab)
    token = csrf_token(client, "/rundschreiben/neu")
    response = client.post(
        "/rundschreiben/neu",
        data={
            "csrf_token": token,
            "betreff": "Einladung zur Trägerrunde",
            "text": "Bitte merken Sie sich den **12. Januar** vor.",
            "empfaenger": "traeger",
            "anhaenge": [(io.BytesIO(MINIMAL_PDF), "einladung.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    link = f"{app.config['BASE_URL']}{response.headers['Location']}"
    for person in (welt.anna, welt.dieter):
        [mail] = smtp_server.wait_for(person.email)
        assert mail.message["Subject"] == "Rundschreiben: Einladung zur Trägerrunde"
        assert "12. Januar" in mail.text() and link in mail.text()
        assert "<strong>12. Januar</strong>" in mail.html()
        [anlage] = [p for p in mail.message.iter_attachments()]
        assert anlage.get_filename() == "einladung.pdf"
        assert anlage.get_content() == MINIMAL_PDF
    assert smtp_server.messages_to(welt.jana.email) == []
