"""The values a browser would submit from a form on a page, so tests post what the admin really rendered."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.select_first = None
        self.select_chosen = False
        self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.add(self.select, value)
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.add(self.select, self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(*self.textarea)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data.removeprefix("\n") if not self.textarea[1] else data


def form_values(html, form_id):
    """{name: value or [values]} of the form with `form_id`, as the browser would send it unchanged."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}


def admin_form(client, url, form_id):
    """GET an admin page and return its form's values (fails loudly if the page is not a 200)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return form_values(response.content.decode(), form_id)
