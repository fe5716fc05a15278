"""Generated PDFs are PDF/A-3b archive documents: identification, output intent, fonts."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.core.pdf import html_to_pdf
from tests.support.pdfa import assert_pdfa, nicht_eingebettete_schriften, pdfa_kennung


def test_generated_pdf_is_pdfa_3b_with_embedded_fonts() -> None:
    pdf = html_to_pdf("<h1>Beschlussauszug</h1><p>Größere Räume für die Jugendhilfe.</p>")
    assert_pdfa(pdf)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Größere Räume" in text


def test_the_check_tells_a_plain_pdf_apart() -> None:
    pdf = html_to_pdf("<p>Entwurf</p>", archiv=False)
    assert pdfa_kennung(pdf) == (None, None)
    assert nicht_eingebettete_schriften(pdf) == []  # WeasyPrint embeds fonts anyway


def test_the_vorlage_pdf_of_the_board_is_pdfa(client, login, make) -> None:
    from app.stammdaten.models import Funktion, GremiumTyp

    planungsrunde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde")
    zyklus = make.zyklus([planungsrunde], titel="Sozialplanung 2027")
    make.massnahme(zyklus, "Jugendtreff eröffnen")
    planer = make.user()
    make.mitgliedschaft(planungsrunde, planer, Funktion.MITGLIED)
    login(make.stabsstelle())
    response = client.get(f"/massnahmen/zyklus/{zyklus.id}/vorlage.pdf")
    assert response.status_code == 200
    assert_pdfa(response.data)
