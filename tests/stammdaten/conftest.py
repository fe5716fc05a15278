"""Helpers of the master-data tests: a logged-in Stabsstelle and CSRF-protected posts."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def stab(make):
    """A Stabsstelle account."""
    return make.stabsstelle(name="Stefanie Stab")


@pytest.fixture
def stab_client(client, login, stab) -> FlaskClient:
    """The test client logged in as the Stabsstelle."""
    return login(stab)


@pytest.fixture
def post(client, csrf_token):
    """``post(url, data, form_url=None, on_client=None)``: a form post with the CSRF token.

    The token is read from ``form_url`` (default: ``url`` itself, as a browser would), or from
    the start page for POST-only addresses.
    """

    def _post(url: str, data: dict | None = None, *, form_url: str | None = None, on_client=None):
        target = on_client or client
        token = csrf_token(target, form_url or url)
        return target.post(url, data={**(data or {}), "csrf_token": token})

    return _post
