"""The baseline of the page benchmark: a bare Flask app answering "Hallo" (``bench.hello:app``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hallo() -> str:
    return "Hallo"
