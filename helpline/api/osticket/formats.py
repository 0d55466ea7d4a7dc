"""Reading a request body, JSON or XML, into the fields of one ticket, in the shape both share:

``{"name": ..., "message": "text" or {"body": ..., "type": ...}, "attachments": [...], ...}``

For XML that is osTicket's lax form: a field is an element or an attribute of the root (``<ticket
alert="false">``), ``<phone ext="123">``, ``<message type="text/html">``, and ``<attachments>`` holds
``<file name= type= encoding=>`` elements. A document type declaration is refused, so no entity can expand.
"""

import json
from typing import Any
from xml.parsers import expat


class Malformed(ValueError):
    """The body is not JSON or XML: answered 400 with this message, as osTicket words it."""


def read_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        # ValueError: besides JSONDecodeError and UnicodeDecodeError (both of them ValueErrors), an integer
        # of more digits than Python converts (sys.get_int_max_str_digits, 4,300).
        raise Malformed("Syntax error, malformed JSON") from None


class _Node:
    __slots__ = ("attrs", "children", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs = tag, attrs
        self.children: list[_Node] = []
        self.text: list[str] = []

    def content(self) -> str:
        return "".join(self.text)


def _refuse_doctype(*args: object) -> None:
    raise Malformed("XML error: a document type declaration is not accepted")


def _tree(body: bytes) -> _Node:
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    stack: list[_Node] = [_Node("", {})]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        stack[-1].text.append(data)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        message = expat.ErrorString(error.code).capitalize()
        raise Malformed(f"XML error: {message} at line {error.lineno}:{error.offset}") from None
    return stack[0].children[0]


def _file(node: _Node) -> dict[str, str]:
    # The content of a file is trimmed, as osTicket's documentation says (CDATA on lines of its own).
    return {**node.attrs, "data": node.content().strip()}


def _field(node: _Node) -> Any:
    if node.tag == "attachments":
        return [_file(child) for child in node.children if child.tag == "file"]
    if node.tag == "message":
        return {"body": node.content(), "type": node.attrs.get("type", "text/plain")}
    if node.tag == "phone" and node.attrs.get("ext"):
        return f"{node.content().strip()}X{node.attrs['ext'].strip()}"
    return node.content().strip() if not node.children else None


def read_xml(body: bytes) -> dict[str, Any]:
    """The ticket's fields from the root element's attributes and children. Raises Malformed."""
    root = _tree(body)
    fields: dict[str, Any] = dict(root.attrs)
    for child in root.children:
        value = _field(child)
        if value is not None:
            fields[child.tag] = value
    return fields
