"""What assistive technology is told: labels in the page's language, and a field's error tied to
the field (axe in tests/browser/test_accessibility.py checks the rest of the rendered pages)."""

import re
from html.parser import HTMLParser

from tests.conftest import ROOT

#: An attribute read out to the visitor whose value is written in the template, not translated. A
#: placeholder may show a format (`91370200XXXXXXXXXX`, `https://`) but no words.
READ_OUT = re.compile(r"""\b(aria-label|aria-description|aria-roledescription|title|alt|placeholder)="([^"{]*)\"""")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def untranslated(attribute: str, value: str) -> bool:
    if attribute == "placeholder":
        return bool(CJK.search(value)) or " " in value.strip()
    return any(character.isalpha() for character in value)


def test_every_label_read_out_is_translated():
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        if "emails" in template.parts:
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            for attribute, value in READ_OUT.findall(line):
                if untranslated(attribute, value):
                    found.append(f"{template.relative_to(ROOT)}:{number}: {attribute}={value!r}")
    assert not found, "Wrap these in _():\n" + "\n".join(found)


class Fields(HTMLParser):
    """The form's inputs and every element's id and role."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[str, dict] = {}
        self.elements: dict[str, dict] = {}
        self.current: str | None = None
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("name"):
            self.inputs[attributes["name"]] = attributes
        if attributes.get("id"):
            self.elements[attributes["id"]] = attributes
            self.current = attributes["id"]
            self.texts[self.current] = ""

    def handle_data(self, data):
        if self.current:
            self.texts[self.current] += data

    def handle_endtag(self, tag):
        self.current = None


def fields_of(page: str) -> Fields:
    fields = Fields()
    fields.feed(page)
    return fields


def test_a_field_with_an_error_is_marked_invalid_and_described_by_its_error(client):
    sent = {"email": "not-an-email", "display_name": "王工", "password": "x", "confirm": "y"}
    fields = fields_of(client.post_form("/register", sent).get_data(as_text=True))
    invalid = {name for name, attributes in fields.inputs.items() if attributes.get("aria-invalid") == "true"}
    assert {"email", "consent", "password"} <= invalid
    assert "display_name" not in invalid
    for name in invalid:
        described = fields.inputs[name].get("aria-describedby", "").split()
        errors = [fields.texts[id_].strip() for id_ in described if "invalid-feedback" in fields.elements[id_]["class"]]
        assert errors and all(errors), (name, described)
    fresh = fields_of(client.get("/register").get_data(as_text=True))
    assert not [name for name, attributes in fresh.inputs.items() if "aria-invalid" in attributes]
