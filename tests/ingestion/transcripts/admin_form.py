"""Read a form off an admin page and give back the POST a browser would send.

The article change form has many fields and inlines (with their management forms);
building its POST by hand would break whenever a field is added. Parsing the page
the editor sees also proves that what is posted is what the page offers.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.file_fields: list[str] = []
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._select_options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and attr.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = attr.get("name")
        if tag == "input" and name and "disabled" not in attr:
            kind = attr.get("type", "text").lower()
            if kind == "file":
                self.file_fields.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.add(name, attr.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self.add(name, attr.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attr)
            self._select_options = []
        elif tag == "option" and self._select is not None:
            self._option_value = attr.get("value")
            self._option_selected = "selected" in attr
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            self._select_options.append((value.strip(), self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and not multiple and self._select_options:
                chosen = [self._select_options[0][0]]  # what a browser submits
            for value in chosen:
                self.add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that may follow <textarea>.
            self.add(self._textarea, self._textarea_text.removeprefix("\n"))
            self._textarea = None


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """The fields of form `form_id` with their current values, as a browser would post them."""
    reader = _FormReader(form_id)
    reader.feed(html)
    if not reader.data:
        raise AssertionError(f"no form with id {form_id!r} (or an empty one) on the page")
    return reader.data


def file_fields(html: str, form_id: str) -> list[str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.file_fields
