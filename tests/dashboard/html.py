"""Reading pages like a browser: parse the HTML and pick elements with CSS selectors."""

from __future__ import annotations

import re

import cssselect2
import tinyhtml5


class Page:
    def __init__(self, html: str) -> None:
        self.html = html
        self.root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html))

    def all(self, selector: str) -> list:
        return list(self.root.query_all(selector))

    def one(self, selector: str):
        found = self.all(selector)
        assert len(found) == 1, (selector, len(found))
        return found[0]

    def text(self, selector: str) -> str:
        return text_of(self.one(selector))

    def rows(self, table_selector: str, part: str = "tbody") -> list[list[str]]:
        """The cells' text of each row of a table part (th and td)."""
        return [
            [text_of(cell) for cell in row.query_all("th, td")]
            for row in self.all(f"{table_selector} {part} tr")
        ]


def text_of(wrapper) -> str:
    return re.sub(r"\s+", " ", "".join(wrapper.etree_element.itertext())).strip()
