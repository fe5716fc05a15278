"""The Postausgang pages: who sees them, filtering, resending, query counts."""

from __future__ import annotations

from app.extensions import db
from app.mail.models import Mail, MailStatus


def _row(status: MailStatus = MailStatus.PENDING, recipient: str = "x@test.example", **kw) -> Mail:
    from email.utils import make_msgid

    mail = Mail(
        recipient=recipient,
        subject=kw.pop("subject", "Betreff"),
        body_text="Text",
        body_html="<p>Text</p>",
        status=status,
        message_id=make_msgid(domain="test.example"),
        **kw,
    )
    db.session.add(mail)
    db.session.commit()
    return mail


def test_only_the_stabsstelle_sees_the_postausgang(client, login, make) -> None:
    mail = _row(MailStatus.FAILED)
    assert client.get("/postausgang/").status_code == 302  # to the login
    login(make.traeger_user())
    for url in ("/postausgang/", f"/postausgang/{mail.id}", "/postausgang/?status=failed"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/postausgang/{mail.id}/erneut-senden").status_code in (400, 403)


def test_traeger_cannot_resend_even_with_a_valid_token(client, login, make, csrf_token) -> None:
    mail = _row(MailStatus.FAILED)
    login(make.traeger_user())
    token = csrf_token(client, "/start")
    response = client.post(f"/postausgang/{mail.id}/erneut-senden", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(Mail, mail.id, populate_existing=True).status == MailStatus.FAILED


def test_list_filters_by_status_and_is_german(client, login, make) -> None:
    _row(MailStatus.FAILED, "kaputt@test.example", last_error="SMTP 550: unbekannt", attempts=1)
    _row(MailStatus.SENT, "gut@test.example")
    login(make.stabsstelle())
    body = client.get("/postausgang/?status=failed").get_data(as_text=True)
    assert "kaputt@test.example" in body and "gut@test.example" not in body
    assert "SMTP 550: unbekannt" in body and "Erneut senden" in body
    assert "fehlgeschlagen (1)" in body and "versendet (1)" in body
    everything = client.get("/postausgang/").get_data(as_text=True)
    assert "kaputt@test.example" in everything and "gut@test.example" in everything


def test_unknown_status_is_a_german_400(client, login, make) -> None:
    login(make.stabsstelle())
    response = client.get("/postausgang/?status=kaputt")
    assert response.status_code == 400
    assert "Unbekannter Status" in response.get_data(as_text=True)


def test_detail_shows_the_mail(client, login, make) -> None:
    mail = _row(MailStatus.FAILED, last_error="SMTP 550: nein")
    login(make.stabsstelle())
    body = client.get(f"/postausgang/{mail.id}").get_data(as_text=True)
    assert mail.message_id.strip("<>") in body and "SMTP 550: nein" in body
    assert client.get(f"/postausgang/{mail.id + 10_000}").status_code == 404


def test_list_query_count_does_not_grow(client, login, make, query_counter) -> None:
    login(make.stabsstelle())
    for _ in range(3):
        _row(MailStatus.FAILED)
    with query_counter() as few:
        assert client.get("/postausgang/").status_code == 200
    for _ in range(20):
        _row(MailStatus.FAILED)
    with query_counter() as many:
        assert client.get("/postausgang/").status_code == 200
    assert len(many) == len(few)


def test_resend_needs_csrf(client, login, make) -> None:
    mail = _row(MailStatus.FAILED)
    login(make.stabsstelle())
    assert client.post(f"/postausgang/{mail.id}/erneut-senden").status_code == 400
    assert db.session.get(Mail, mail.id, populate_existing=True).status == MailStatus.FAILED


def test_resend_puts_a_failed_mail_back(client, login, make, csrf_token) -> None:
    mail = _row(MailStatus.FAILED, attempts=6, last_error="SMTP 550")
    login(make.stabsstelle())
    token = csrf_token(client, "/postausgang/?status=failed")
    response = client.post(f"/postausgang/{mail.id}/erneut-senden", data={"csrf_token": token})
    assert response.status_code == 303
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts) == (MailStatus.PENDING, 0)
    page = client.get("/postausgang/?status=failed").get_data(as_text=True)
    assert "erneut in den Versand gegeben" in page


def test_resend_of_a_sent_mail_changes_nothing(client, login, make, csrf_token) -> None:
    mail = _row(MailStatus.SENT, attempts=1)
    login(make.stabsstelle())
    token = csrf_token(client, "/start")
    response = client.post(f"/postausgang/{mail.id}/erneut-senden", data={"csrf_token": token})
    assert response.status_code == 303
    row = db.session.get(Mail, mail.id, populate_existing=True)
    assert (row.status, row.attempts) == (MailStatus.SENT, 1)
    assert "Nur fehlgeschlagene" in client.get(f"/postausgang/{mail.id}").get_data(as_text=True)


def test_failed_mails_are_an_open_task_for_the_stabsstelle_only(client, login, make) -> None:
    stab, other = make.stabsstelle(), make.traeger_user()
    login(stab)
    assert "nicht zugestellt" not in client.get("/start").get_data(as_text=True)
    _row(MailStatus.FAILED)
    _row(MailStatus.FAILED)
    start = client.get("/start").get_data(as_text=True)
    assert "2 E-Mails konnten nicht zugestellt werden" in start
    login(other)
    assert "nicht zugestellt" not in client.get("/start").get_data(as_text=True)


def test_calendar_invitation_is_listed_once(client, login, make) -> None:
    """The iTIP part travels twice (in the text and as file) but is one invitation."""
    from app.mail.models import MailAttachment

    mail = _row(subject="Einladung")
    for inline in (False, True):
        mail.attachments.append(
            MailAttachment(
                filename="einladung.ics",
                content_type="text/calendar; method=REQUEST; charset=UTF-8",
                data=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                inline=inline,
            )
        )
    db.session.commit()
    login(make.stabsstelle())
    body = client.get(f"/postausgang/{mail.id}").get_data(as_text=True)
    assert body.count("einladung.ics") == 1
    assert "Kalendereinladung zum Zu- oder Absagen im Mailprogramm" in body


def test_cached_list_gets_fresh_form_tokens_and_resend_works(client, login, make) -> None:
    """The table is cached, its forms' CSRF and one-time tokens are new on every request."""
    import re

    mail = _row(MailStatus.FAILED, "kaputt@test.example", last_error="SMTP 550", attempts=1)
    login(make.stabsstelle())
    first = client.get("/postausgang/").get_data(as_text=True)
    second = client.get("/postausgang/").get_data(as_text=True)
    einmal = re.compile(r'name="formular_token" value="([^"]+)"')
    assert einmal.findall(first) and einmal.findall(first) != einmal.findall(second)
    assert "<!--formular-felder-->" not in second
    form = re.search(rf'action="/postausgang/{mail.id}/erneut-senden".*?</form>', second, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    response = client.post(f"/postausgang/{mail.id}/erneut-senden", data=fields)
    assert response.status_code in (302, 303)
    assert db.session.get(Mail, mail.id, populate_existing=True).status != MailStatus.FAILED
    again = client.get("/postausgang/?status=failed").get_data(as_text=True)
    assert f"/postausgang/{mail.id}/erneut-senden" not in again  # the write ended the cache
