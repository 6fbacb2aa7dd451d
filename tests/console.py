"""A person using the console through Flask's test client: forms carry the page's CSRF
token, as a browser sends them."""

import html
import re
from html.parser import HTMLParser
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

    def post(self, path: str, data: dict[str, Any] | None = None, csrf: bool = True) -> Any:
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


def sent_by(page: str, action: str, button: tuple[str, str] | None = None) -> dict[str, Any]:
    """What a browser sends for the form posting to `action`, left as the page drew it:
    its inputs' values, the boxes ticked, the options selected, the text areas' text;
    `button`, the (name, value) of the submit button pressed, if it has a name."""
    reader = _FormReader(html.escape(action, quote=True))
    reader.feed(page)
    assert reader.found, f"no form posts to {action}"
    fields: dict[str, Any] = {}
    for name, value in reader.values:
        fields.setdefault(name, []).append(value)
    if button:
        fields[button[0]] = [button[1]]
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found = html.unescape(action), False, False
        self.values: list[tuple[str, str]] = []
        self.select: str | None = None
        self.first = False
        self.area: list[str] | None = None
        self.area_name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.found |= self.inside
        elif tag == "option" and self.select is not None:
            self._option(a)
        elif not self.inside or "name" not in a:
            return
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                self.values.append((a["name"], a.get("value") or "on"))
        elif tag == "input" and a.get("type") != "submit":
            self.values.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a["name"]
            self.values.append((a["name"], ""))  # the first option, unless one is selected
            self.first = True
        elif tag == "textarea":
            self.area, self.area_name = [], a["name"]

    def _option(self, a: dict[str, str]) -> None:
        assert self.select is not None
        if self.first or "selected" in a:
            self.values[-1] = (self.select, a.get("value", ""))
            self.first = False

    def handle_data(self, data: str) -> None:
        if self.area is not None:
            self.area.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.area is not None:
            self.values.append((self.area_name, "".join(self.area).lstrip("\n")))
            self.area = None
