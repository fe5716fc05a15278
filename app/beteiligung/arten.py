"""The kinds and states of feedback forms, questions, answers, events and requests."""

from __future__ import annotations

import enum


class BogenStatus(enum.StrEnum):
    ENTWURF = "entwurf"
    VEROEFFENTLICHT = "veroeffentlicht"
    GESCHLOSSEN = "geschlossen"

    @property
    def label(self) -> str:
        return {
            "entwurf": "in Vorbereitung",
            "veroeffentlicht": "veröffentlicht",
            "geschlossen": "geschlossen",
        }[self]


class FrageTyp(enum.StrEnum):
    KURZTEXT = "kurztext"
    LANGTEXT = "langtext"
    EINFACHAUSWAHL = "einfachauswahl"
    MEHRFACHAUSWAHL = "mehrfachauswahl"
    SKALA = "skala"
    ZAHL = "zahl"
    JANEIN = "janein"
    MATRIX = "matrix"
    DATEI = "datei"

    @property
    def label(self) -> str:
        return {
            "kurztext": "Kurzer Text",
            "langtext": "Langer Text",
            "einfachauswahl": "Einfachauswahl",
            "mehrfachauswahl": "Mehrfachauswahl",
            "skala": "Skala 1–5",
            "zahl": "Zahl",
            "janein": "Ja/Nein",
            "matrix": "Matrix je Stadtbereich",
            "datei": "Dateianhang",
        }[self]

    @property
    def hat_optionen(self) -> bool:
        """Choice-like types list their answer options."""
        return self in (FrageTyp.EINFACHAUSWAHL, FrageTyp.MEHRFACHAUSWAHL, FrageTyp.MATRIX)

    @property
    def diagramm(self) -> bool:
        """Results of these types are counted and drawn as a bar chart."""
        return self in (
            FrageTyp.EINFACHAUSWAHL,
            FrageTyp.MEHRFACHAUSWAHL,
            FrageTyp.SKALA,
            FrageTyp.JANEIN,
        )


class RueckmeldungStatus(enum.StrEnum):
    OFFEN = "offen"
    ENTWURF = "entwurf"
    EINGEREICHT = "eingereicht"

    @property
    def label(self) -> str:
        return {"offen": "offen", "entwurf": "Entwurf", "eingereicht": "eingereicht"}[self]


class EreignisArt(enum.StrEnum):
    EINGEREICHT = "eingereicht"
    WIEDEREROEFFNET = "wiedereroeffnet"
    KORREKTUR_ANGEFRAGT = "korrektur_angefragt"
    KORREKTUR_ABGELEHNT = "korrektur_abgelehnt"
    FRIST_ANGEFRAGT = "frist_angefragt"
    FRIST_VERLAENGERT = "frist_verlaengert"
    FRIST_ABGELEHNT = "frist_abgelehnt"
    NACH_FRIST_GESPEICHERT = "nach_frist_gespeichert"
    ERINNERT = "erinnert"

    @property
    def label(self) -> str:
        return {
            "eingereicht": "eingereicht",
            "wiedereroeffnet": "wieder geöffnet",
            "korrektur_angefragt": "Korrektur angefragt",
            "korrektur_abgelehnt": "Korrektur abgelehnt",
            "frist_angefragt": "Fristverlängerung angefragt",
            "frist_verlaengert": "Frist verlängert",
            "frist_abgelehnt": "Fristverlängerung abgelehnt",
            "nach_frist_gespeichert": "nach Fristende als Entwurf gespeichert",
            "erinnert": "erinnert",
        }[self]


class AnfrageArt(enum.StrEnum):
    KORREKTUR = "korrektur"
    FRISTVERLAENGERUNG = "fristverlaengerung"

    @property
    def label(self) -> str:
        return {"korrektur": "Korrektur", "fristverlaengerung": "Fristverlängerung"}[self]


class AnfrageStatus(enum.StrEnum):
    OFFEN = "offen"
    GEWAEHRT = "gewaehrt"
    ABGELEHNT = "abgelehnt"

    @property
    def label(self) -> str:
        return {"offen": "offen", "gewaehrt": "gewährt", "abgelehnt": "abgelehnt"}[self]
