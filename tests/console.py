"""A person using the console through Flask's test client: forms carry the page's CSRF
token, as a browser sends them."""

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Person:
    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.csrf: str | None = None

    def get(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(path, **kwargs)
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, csrf: bool = True) -> Any:
        if csrf and self.csrf is None:
            self.get("/sign-in")
        form = {**(data or {}), **({"csrf_token": self.csrf or ""} if csrf else {})}
        return self.client.post(path, data=form)

    def text(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return str(response.get_data(as_text=True))

    def sign_in_with_token(self, token: str) -> Any:
        self.get("/sign-in")
        return self.post("/sign-in", {"token": token})
