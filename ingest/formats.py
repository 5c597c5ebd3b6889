"""Read PDF and Word (.docx) documents into text: one function per format.

Each reader takes the raw bytes of a file (already read and size-checked by
:func:`ingest.read.read_source`) and returns ``(text, title)``, or raises
:class:`ingest.read.RejectedInput` with a one-line reason. Line ends are ``"\\n"``;
paragraphs and lines of the document stay on lines of their own, because the
pipeline ends sentences at line breaks.

What a reader may cost is bounded before it is spent: a .docx is a zip, and its parts are
measured before any is parsed (the sizes its directory declares, then the XML streamed 1 MB at
a time), so a few MB that expand to a GB of XML are rejected (``the .docx expands to more than
32 MB of XML``: :data:`DEFAULT_MAX_XML_BYTES`); a PDF's text is read page by page and stops at
``max_chars``.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path

__all__ = ["DEFAULT_MAX_XML_BYTES", "DOCX_MEDIA_TYPE", "PDF_MEDIA_TYPE", "read_doc", "read_docx", "read_pdf"]

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_MB = 1024 * 1024
#: XML a .docx may expand to (its parts' sum): 32 MB. Parsed, XML can take forty times its size: 31 MB
#: of empty paragraphs took 1.2 GB (and 146 s) to read, 64 MB took 1.5 GB before lxml gave up
#: ("bad XML: unknown error"), measured on this project's 2-core machine.
DEFAULT_MAX_XML_BYTES = 32 * _MB
#: How many times its packed size a part of a .docx that is not XML (an image) may expand, plus 1 MB.
MAX_PART_RATIO = 100
_XML_PART_RE = re.compile(r"\.(?:xml|rels)$", re.IGNORECASE)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt (Compound File)
_ZIP_MAGIC = b"PK\x03\x04"

# Wide characters: CJK ideographs, radicals, CJK and full-width punctuation.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
# Spaces, or a hyphen at a line end, between two wide characters: layout artefacts
# (Chinese is written without spaces and never hyphenated).
_CJK_GAP_RE = re.compile(f"(?<=[{_WIDE}])(?:[ \\t]+|[ \\t]*[-\u2010\u00ad][ \\t]*\\n[ \\t]*)(?=[{_WIDE}])")
# Kangxi radicals and CJK radicals that some PDF fonts map ideographs to ("⾦" for "金").
_RADICAL_RE = re.compile("[\u2e80-\u2fdf]")
_LINE_END_SPACE_RE = re.compile(r"[ \t]+\n")
_BLANK_RUN_RE = re.compile(r"\n{3,}")
_PLACEHOLDER_TITLES = frozenset({"untitled", "无标题", "title", "document", "文档"})


def read_pdf(data: bytes, path: str | Path = "<pdf>", *, max_chars: int | None = None) -> tuple[str, str | None]:
    """The text (from its text layer, page by page) and metadata title of a PDF.

    Spaces and line-end hyphens between CJK characters are removed, Kangxi
    radicals are mapped to the ideographs they stand for, and pages are joined
    by a line break. An encrypted PDF is read if it opens with the empty
    password (as most "protected" government PDFs do).

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or Path, optional
        The file, for the :class:`~ingest.read.RejectedInput` raised.
    max_chars : int, optional
        Text read at most: pages are read one by one and the reading stops past it.

    Returns
    -------
    text : str
    title : str or None
        The ``/Title`` of the document information, if it says something.

    Raises
    ------
    RejectedInput
        If the file is not a PDF, is broken or truncated, needs a password, has
        no text layer (a scan), or more text than ``max_chars``.

    Examples
    --------
    >>> import pypdf
    >>> w = pypdf.PdfWriter()
    >>> _ = w.add_blank_page(width=200, height=200)
    >>> buf = io.BytesIO(); _ = w.write(buf)
    >>> read_pdf(buf.getvalue(), "scan.pdf")
    Traceback (most recent call last):
    ...
    ingest.read.RejectedInput: PDF has no text layer (a scan or images only): needs OCR
    """
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    from ingest.read import RejectedInput

    if b"%PDF-" not in data[:1024]:
        raise RejectedInput(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:  # pypdf would quietly read what is left of a cut file
        raise RejectedInput(path, "broken PDF file (truncated: no %%EOF marker at the end)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns on every repairable flaw
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (NotImplementedError, DependencyError) as err:
                raise RejectedInput(path, f"encrypted PDF that cannot be opened here ({err})") from err
            if not opened:
                raise RejectedInput(path, "encrypted PDF: a password is needed to read it")
        pages, read = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            read += len(pages[-1])
            if max_chars is not None and read > max_chars:
                raise RejectedInput(path, _too_long(max_chars))
        title = _info_title(reader)
    except RejectedInput:
        raise
    except FileNotDecryptedError as err:
        raise RejectedInput(path, "encrypted PDF: a password is needed to read it") from err
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError, ZeroDivisionError) as err:
        raise RejectedInput(path, f"broken PDF file ({_one_line(err)})") from err
    if not pages:
        raise RejectedInput(path, "broken PDF file (no pages)")
    text = _tidy("\n".join(page.rstrip("\n") for page in pages))
    if not text.strip():
        raise RejectedInput(path, "PDF has no text layer (a scan or images only): needs OCR")
    return text, title


def read_docx(data: bytes, path: str | Path = "<docx>", *,
              max_xml_bytes: int | None = DEFAULT_MAX_XML_BYTES) -> tuple[str, str | None]:
    """The text and core-properties title of a Word ``.docx`` document.

    Paragraphs and table rows of the body come in document order, one per line;
    the cells of a row are joined by ``" | "``. Headers, footers, comments and
    text boxes are left out.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or Path, optional
        The file, for the :class:`~ingest.read.RejectedInput` raised.
    max_xml_bytes : int or None, optional (default 32 MB)
        XML the file's parts may expand to, all together (None: no bound). Checked before any
        part is parsed: the sizes the zip declares, then the XML itself, streamed.

    Returns
    -------
    text : str
    title : str or None

    Raises
    ------
    RejectedInput
        If the file is not a .docx (a legacy .doc, or not a zip), is broken,
        expands to more than ``max_xml_bytes`` of XML (or a part that is not
        XML expands more than :data:`MAX_PART_RATIO` times), or has no text.

    Examples
    --------
    >>> import docx
    >>> d = docx.Document()
    >>> d.core_properties.title = "工作方案"
    >>> _ = d.add_paragraph("淄博市工作方案")
    >>> _ = d.add_paragraph("加快建设新材料产业。")
    >>> buf = io.BytesIO(); d.save(buf)
    >>> read_docx(buf.getvalue())
    ('淄博市工作方案\\n加快建设新材料产业。', '工作方案')
    >>> read_docx(buf.getvalue(), "plan.docx", max_xml_bytes=1024)
    Traceback (most recent call last):
    ...
    ingest.read.RejectedInput: the .docx expands to more than 1,024 bytes of XML
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ingest.read import RejectedInput

    if data.startswith(_OLE_MAGIC):
        raise RejectedInput(path, _legacy_doc_reason(data))
    if not data.startswith(_ZIP_MAGIC):
        raise RejectedInput(path, "broken Word file (not a .docx: no zip container)")
    _check_unpacked(data, path, max_xml_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
        title = _clean_title(document.core_properties.title)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            AttributeError, TypeError, IndexError) as err:
        raise RejectedInput(path, f"broken Word file ({_one_line(err)})") from err
    except Exception as err:  # lxml's XMLSyntaxError and friends
        if type(err).__module__.startswith("lxml"):
            raise RejectedInput(path, f"broken Word file (bad XML: {_one_line(err)})") from err
        raise
    text = _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    if not text.strip():
        raise RejectedInput(path, "empty document (Word file has no text)")
    return text, title


def read_doc(data: bytes, path: str | Path = "<doc>", *,
             max_xml_bytes: int | None = DEFAULT_MAX_XML_BYTES) -> tuple[str, str | None]:
    """A ``.doc`` file: read if it is really a .docx, else rejected.

    Legacy binary Word files are not read (no well-kept pure-Python reader
    exists); a .docx saved under a .doc name is read as .docx.

    Examples
    --------
    >>> read_doc(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(504), "old.doc")
    Traceback (most recent call last):
    ...
    ingest.read.RejectedInput: legacy Word .doc format is not supported: save it as .docx or PDF
    """
    from ingest.read import RejectedInput

    if data.startswith(_ZIP_MAGIC):
        return read_docx(data, path, max_xml_bytes=max_xml_bytes)
    raise RejectedInput(path, _legacy_doc_reason(data))


# ---------------------------------------------------------------------------
# helpers

def _size(n: int) -> str:
    """``32 MB``, ``1.5 MB``; under 1 MB in bytes (``1,024 bytes``)."""
    return f"{n / _MB:g} MB" if n >= _MB else f"{n:,} bytes"


def _too_long(max_chars: int) -> str:
    return f"text too long: more than {max_chars:,} characters (the limit per document)"


def _check_unpacked(data: bytes, path, max_xml_bytes: int | None) -> None:
    """Refuse a .docx whose parts expand past the bounds, before any part is parsed.

    First the sizes the zip's directory declares (Python's zipfile unpacks no more than a part
    declares: a part that holds more fails its CRC check), then the XML itself, unpacked 1 MB at a
    time and counted, so no more than 1 MB of it is in memory here.
    """
    from ingest.read import RejectedInput

    if max_xml_bytes is None:
        return
    too_much = f"the .docx expands to more than {_size(max_xml_bytes)} of XML"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            xml = [p for p in parts if _XML_PART_RE.search(p.filename)]
            if sum(p.file_size for p in xml) > max_xml_bytes:
                raise RejectedInput(path, too_much)
            for part in parts:
                if not _XML_PART_RE.search(part.filename) and part.file_size > MAX_PART_RATIO * part.compress_size + _MB:
                    raise RejectedInput(path, f"a part of the .docx ({part.filename}) expands from "
                                              f"{part.compress_size:,} to {part.file_size:,} bytes: a zip bomb")
            unpacked = 0
            for part in xml:
                with archive.open(part) as stream:
                    while chunk := stream.read(_MB):
                        unpacked += len(chunk)
                        if unpacked > max_xml_bytes:
                            raise RejectedInput(path, too_much)
    except RejectedInput:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as err:
        raise RejectedInput(path, f"broken Word file ({_one_line(err)})") from err


def _legacy_doc_reason(data: bytes) -> str:
    if data.lstrip().startswith(b"{\\rtf"):
        return "RTF file is not supported: save it as .docx or PDF"
    return "legacy Word .doc format is not supported: save it as .docx or PDF"


def _one_line(err: BaseException) -> str:
    msg = " ".join(str(err).split()) or type(err).__name__
    return msg if len(msg) <= 160 else msg[:157] + "..."


def _tidy(text: str) -> str:
    """Undo PDF extraction artefacts between CJK characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _RADICAL_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _CJK_GAP_RE.sub("", text)
    text = _LINE_END_SPACE_RE.sub("\n", text)
    return _BLANK_RUN_RE.sub("\n\n", text).strip("\n")


def _info_title(reader) -> str | None:
    try:
        info = reader.metadata
    except Exception:  # a broken info dictionary is no reason to lose the text
        return None
    return _clean_title(info.title if info else None)


def _clean_title(title) -> str | None:
    """A metadata title, or None for an empty, placeholder or file-name title."""
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    title = re.sub(r"\.(?:docx?|wps|pdf|txt)$", "", title, flags=re.IGNORECASE)
    if not title or title.lower() in _PLACEHOLDER_TITLES:
        return None
    return title


def _docx_lines(document):
    """Paragraph texts and table rows of the body, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text.replace("\r", "\n").replace("\v", "\n")
        elif isinstance(block, Table):
            yield from _table_lines(block)


def _table_lines(table):
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield " | ".join(cells)
