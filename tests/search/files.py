"""Real documents with words (PDF, DOCX, ODT), built in memory (no binary fixtures)."""

from __future__ import annotations

import io
import struct

import docx
from odf import text as odf_text
from odf.opendocument import OpenDocumentText


def pdf_with(*lines: str) -> bytes:
    """A one-page PDF that writes ``lines`` in Helvetica, with a correct cross-reference."""
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx_with(paragraph: str, cell: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(paragraph)
    document.add_table(rows=1, cols=1).cell(0, 0).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_with(heading: str, paragraph: str) -> bytes:
    document = OpenDocumentText()
    document.text.addElement(odf_text.H(outlinelevel=1, text=heading))
    document.text.addElement(odf_text.P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def lying_about_its_size(content: bytes) -> bytes:
    """``content`` (a ZIP) whose directory says each entry but ``mimetype`` (which the upload
    reads) unpacks to 4 GB: a ZIP bomb as the reader would meet it, without the gigabytes."""
    data = bytearray(content)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        (name_length,) = struct.unpack("<H", data[position + 28 : position + 30])
        name = bytes(data[position + 46 : position + 46 + name_length])
        if name != b"mimetype":
            data[position + 24 : position + 28] = struct.pack("<I", 0xFFFFFFF0)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)
