"""What a browser would submit for an admin change form, read from the page's HTML (for tests
that run outside pytest-django's response.context, e.g. in threads or other processes)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea, self._text = name, []
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def change_form_data(html: str, *, form_id: str) -> dict[str, str | list[str]]:
    """The fields of ``<form id=form_id>`` as a dict for Django's test client (lists for
    fields given several values), without the formsets' empty templates."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data
