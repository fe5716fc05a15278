"""Public Vorlagen: list, one Vorlage with Beratungsfolge and decisions, its current PDF."""

from __future__ import annotations

from flask import abort, render_template, request

from app.core.pdf import html_to_pdf
from app.core.types import utcnow
from app.oeffentlich import drucksachen
from app.oeffentlich.blueprint import bp


def _or_404(vorlage_id: int):
    found = drucksachen.public_vorlage(vorlage_id)
    if found is None:
        abort(404)
    return found


@bp.route("/vorlagen/")
def vorlagen() -> str:
    """Vorlagen of the Sozialplanung that went to public meetings, with where they stand."""
    return render_template("oeffentlich/vorlagen.html", vorlagen=drucksachen.public_vorlagen())


@bp.route("/vorlagen/<int:vorlage_id>")
def vorlage(vorlage_id: int) -> str:
    """One public Vorlage: Beratungsfolge with meetings and decisions, released measures."""
    found = _or_404(vorlage_id)
    zeilen, verborgen = drucksachen.public_inhalt(found)
    return render_template(
        "oeffentlich/vorlage.html", vorlage=found, zeilen=zeilen, verborgen=verborgen
    )


@bp.route("/vorlagen/<int:vorlage_id>.pdf")
def vorlage_pdf(vorlage_id: int) -> tuple[bytes, int, dict[str, str]]:
    """The current version as PDF (released measures only); ``?download=1`` saves it."""
    found = _or_404(vorlage_id)
    fassung = found.aktuelle_fassung
    if fassung is None:
        abort(404)
    zeilen, verborgen = drucksachen.public_inhalt(found)
    html = render_template(
        "oeffentlich/vorlage_pdf.html",
        vorlage=found,
        fassung=fassung,
        zeilen=zeilen,
        verborgen=verborgen,
        erstellt=utcnow(),
    )
    art = "attachment" if request.args.get("download") == "1" else "inline"
    filename = f"vorlage-{found.id}-fassung-{fassung.nummer}.pdf"
    return (
        html_to_pdf(html),
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'{art}; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
