"""Read plan documents from disk into text, detecting the encoding strictly.

PDF and Word files are read by :mod:`ingest.formats`; the article of a web page is found by
:mod:`ingest.webpage`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ingest import formats, webpage
from ontology.chars import xml_chars

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_XML_BYTES",
    "SUPPORTED_SUFFIXES",
    "RejectedInput",
    "SourceText",
    "file_name",
    "iter_input_files",
    "read_source",
    "xml_text",
]

#: File suffixes :func:`read_source` accepts (compared case-insensitively).
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")

_MB = 1024 * 1024

#: Default size limit of :func:`read_source`: 50 MB.
DEFAULT_MAX_BYTES = 50 * _MB

#: Default limit of a document's text, in characters: 2,000,000 (about 6 MB of Chinese in UTF-8,
#: some 1,300 pages; a plan rarely has 300,000). Recognising a document takes memory in proportion
#: to its text, about 250 MB per million characters on top of the pipeline's 250 MB, so this bounds
#: what one document costs (measured: ``tests/test_hostile_documents.py``).
DEFAULT_MAX_CHARS = 2_000_000

#: Default limit of the XML a .docx may expand to (:data:`ingest.formats.DEFAULT_MAX_XML_BYTES`).
DEFAULT_MAX_XML_BYTES = formats.DEFAULT_MAX_XML_BYTES

_HTML_SUFFIXES = frozenset({".html", ".htm"})

# suffix -> (reader of ingest.formats, encoding label, media type). ".doc" is not
# supported but read here, so that it is rejected with its reason, not skipped.
_FORMAT_READERS = {
    ".pdf": (formats.read_pdf, "pdf", formats.PDF_MEDIA_TYPE),
    ".docx": (formats.read_docx, "docx", formats.DOCX_MEDIA_TYPE),
    ".doc": (formats.read_doc, "docx", formats.DOCX_MEDIA_TYPE),
}


class RejectedInput(Exception):
    """A file that cannot be ingested, with a one-line human reason.

    Parameters
    ----------
    path : str or Path
        The file (or folder) that was rejected.
    reason : str
        One line saying why, e.g. ``"empty file"``; ``str(error)`` is this reason.

    Examples
    --------
    >>> e = RejectedInput("plans/a.pdf", "unsupported file type '.pdf'")
    >>> str(e)
    "unsupported file type '.pdf'"
    >>> e.path.name
    'a.pdf'
    """

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(path, reason)  # both in args, so the error pickles
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    def __repr__(self) -> str:
        return f"RejectedInput({str(self.path)!r}, {self.reason!r})"


@dataclass(frozen=True)
class SourceText:
    """The decoded text of one input file.

    Attributes
    ----------
    path : Path
        The file read.
    text : str
        The decoded text; for HTML, the main content of the page (the article,
        led by its heading, without the site's navigation and footer: see
        :mod:`ingest.webpage`), or all its visible text if the page is too small
        to tell. All character offsets computed downstream refer to this string.
        Line ends are normalised to ``"\\n"``.
    encoding : str
        One of ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16-le"``, ``"utf-16-be"``,
        ``"gb18030"``; ``"pdf"`` or ``"docx"`` for text read from those formats.
    media_type : str
        ``"text/plain"``, ``"text/html"``, ``"application/pdf"`` or the .docx type.
    sha256 : str
        Hex SHA-256 digest of the raw bytes of the file.
    title : str or None
        For HTML, the ``<title>`` (or else the first ``<h1>``); for PDF and .docx,
        the title in the document metadata, if any; None for plain text.

    Examples
    --------
    >>> s = SourceText(Path("a.txt"), "规划", "utf-8", "text/plain", "00", None)
    >>> s.text
    '规划'
    """

    path: Path
    text: str = field(repr=False)
    encoding: str
    media_type: str
    sha256: str
    title: str | None = None

    @classmethod
    def from_text(
        cls, text: str, *, name: str = "<text>", media_type: str = "text/plain",
        title: str | None = None,
    ) -> SourceText:
        """A SourceText for text already in memory (as if read from UTF-8 file `name`), cleaned of
        characters XML cannot hold (:func:`xml_text`).

        Examples
        --------
        >>> s = SourceText.from_text("淄博市工作方案", name="a.txt")
        >>> s.path.name, s.encoding, s.sha256[:12]
        ('a.txt', 'utf-8', '0be6bac61d35')
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}: {text!r:.60}")
        if media_type not in ("text/plain", "text/html"):
            raise ValueError(f"media_type must be 'text/plain' or 'text/html', got {media_type!r}")
        text = xml_text(text)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(Path(name), text, "utf-8", media_type, digest, _xml_title(title))


# ---------------------------------------------------------------------------
# file discovery


def _suffix_label(path: Path) -> str:
    return f"'{path.suffix}'" if path.suffix else "(no suffix)"


def _unsupported_reason(path: Path) -> str:
    supported = ", ".join(SUPPORTED_SUFFIXES)
    return f"unsupported file type {_suffix_label(path)} (supported: {supported})"


def _is_supported(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in SUPPORTED_SUFFIXES or suffix in _FORMAT_READERS


def iter_input_files(paths) -> Iterator[tuple[Path, RejectedInput | None]]:
    """Expand files and folders into the files to read, reporting problems.

    Folders are walked recursively in sorted (deterministic) order. Nothing
    is raised for bad paths: each problem is yielded as a :class:`RejectedInput`
    next to its path so the caller can report it and go on.

    Parameters
    ----------
    paths : str, Path, or iterable of str or Path
        Files and folders, as a user named them.

    Yields
    ------
    path : Path
        A file (or a missing path, or a folder that cannot be listed).
    rejection : RejectedInput or None
        None if the file should be read. Otherwise: ``"no such file"`` for a
        missing path; ``"unsupported file type ..."`` for a file named
        explicitly with an unsupported suffix; ``"skipped: unsupported file type
        ..."`` for such a file found inside a folder; ``"cannot list folder
        (...)"`` for a folder (the one named, or one inside it) that cannot be
        listed (no permission, a path too long): never passed over unsaid.
        Hidden files and folders
        (names starting with ``"."``) inside folders are ignored silently. A
        file reached twice is yielded once.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> d = Path(tmp.name)
    >>> _ = (d / "b.txt").write_text("规划", encoding="utf-8")
    >>> _ = (d / "a.md").write_text("# notes", encoding="utf-8")
    >>> _ = (d / ".hidden.txt").write_text("x", encoding="utf-8")
    >>> for p, why in iter_input_files([d, d / "missing.txt"]):
    ...     print(p.name, why)
    a.md skipped: unsupported file type '.md'
    b.txt None
    missing.txt no such file
    >>> tmp.cleanup()
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[Path] = set()

    def first_time(p: Path) -> bool:
        try:
            key = p.resolve()
        except OSError:
            key = p.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        if not isinstance(raw, (str, os.PathLike)):
            raise TypeError(f"expected a path (str or Path), got {raw!r}")
        path = Path(raw)
        if path.is_dir():
            for child, error in _walk_sorted(path):
                if not first_time(child):
                    continue
                if error is not None:
                    why = error.strerror or type(error).__name__
                    yield child, RejectedInput(child, f"cannot list folder ({why}): its files were not read")
                elif _is_supported(child):
                    yield child, None
                else:
                    reason = f"skipped: unsupported file type {_suffix_label(child)}"
                    yield child, RejectedInput(child, reason)
        elif path.exists():
            if not first_time(path):
                continue
            if not path.is_file():
                yield path, RejectedInput(path, "not a regular file")
            elif not _is_supported(path):
                yield path, RejectedInput(path, _unsupported_reason(path))
            else:
                yield path, None
        else:
            yield path, RejectedInput(path, "no such file")


def _walk_sorted(folder: Path) -> list[tuple[Path, OSError | None]]:
    """All non-hidden regular files under `folder`, and each folder under it that cannot be
    listed with the error that says why, sorted by relative path."""
    found: list[tuple[Path, OSError | None]] = []

    def unlisted(error: OSError) -> None:
        found.append((Path(error.filename or folder), error))

    for root, dirs, files in os.walk(folder, onerror=unlisted):  # does not follow symlinked dirs
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            p = Path(root) / name
            if p.is_file():
                found.append((p, None))
    return sorted(found, key=lambda entry: entry[0].relative_to(folder).parts)


# ---------------------------------------------------------------------------
# reading and decoding


def read_source(path, *, max_bytes: int | None = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS,
                max_xml_bytes: int | None = DEFAULT_MAX_XML_BYTES) -> SourceText:
    """Read one ``.txt``/``.html``/``.htm``/``.pdf``/``.docx`` file into text.

    PDF and .docx files are read by :mod:`ingest.formats` (a PDF needs a text
    layer; a legacy ``.doc`` is rejected with its reason). For text files,
    the encoding is determined strictly, never by a silent guess, in this
    order: byte-order mark (UTF-8, UTF-16 LE/BE); strict UTF-8; UTF-16 without
    BOM when NUL bytes at alternating positions clearly say so; for HTML, the
    charset of a ``<meta>`` tag; strict GB18030, accepted only when the result
    is plausible Chinese text. Anything else is rejected. HTML files (and
    ``.txt`` files that clearly hold an HTML document) are read for their main
    content, one paragraph a line, with :mod:`ingest.webpage` (trafilatura); a
    page too small for that is read whole with :mod:`html.parser`. Scripts,
    styles and comments never reach the text.

    Parameters
    ----------
    path : str or Path
        The file to read.
    max_bytes : int or None, optional (default 50 MB)
        Files larger than this are rejected; None means no limit.
    max_chars : int or None, optional (default 2,000,000)
        Documents with more text than this many characters are rejected, checked as soon as it
        can be: a plain text file larger than 4 bytes a character allows before it is decoded, a
        PDF page by page, a web page's text once the page is read; None means no limit.
    max_xml_bytes : int or None, optional (default 32 MB)
        A .docx whose parts expand to more XML than this is rejected before any is parsed
        (:func:`ingest.formats.read_docx`); None means no limit.

    Returns
    -------
    SourceText
        The decoded text, its encoding, media type, SHA-256 and title.

    Raises
    ------
    RejectedInput
        If the file is missing, a folder, of an unsupported type, too large,
        empty, binary, or not decodable; a PDF without a text layer, encrypted
        or broken; a legacy .doc or a broken .docx. ``str(error)`` says which.
    ValueError
        If `max_bytes`, `max_chars` or `max_xml_bytes` is not a positive integer or None.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = Path(tmp.name) / "plan.txt"
    >>> _ = p.write_bytes("宁波市国民经济发展规划".encode("gb18030"))
    >>> src = read_source(p)
    >>> src.text, src.encoding, src.media_type
    ('宁波市国民经济发展规划', 'gb18030', 'text/plain')
    >>> h = Path(tmp.name) / "page.html"
    >>> _ = h.write_text("<html><head><title>规划</title><script>x=1</script>"
    ...                  "</head><body><p>第一段</p><p>第二段 &amp; 附件</p></body></html>",
    ...                  encoding="utf-8")
    >>> src = read_source(h)
    >>> print(src.text)
    规划
    <BLANKLINE>
    第一段
    <BLANKLINE>
    第二段 & 附件
    >>> src.title
    '规划'
    >>> _ = p.write_bytes(b"")
    >>> read_source(p)
    Traceback (most recent call last):
    ...
    ingest.read.RejectedInput: empty file
    >>> tmp.cleanup()
    """
    for name, value in (("max_bytes", max_bytes), ("max_chars", max_chars), ("max_xml_bytes", max_xml_bytes)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise ValueError(f"{name} must be a positive int or None, got {value!r}")
    path = Path(path)
    if not path.exists():
        raise RejectedInput(path, "no such file")
    if path.is_dir():
        raise RejectedInput(path, "is a directory")
    if not path.is_file():
        raise RejectedInput(path, "not a regular file")
    if not _is_supported(path):
        raise RejectedInput(path, _unsupported_reason(path))
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise RejectedInput(
                path,
                f"file too large ({size / _MB:.1f} MB > limit {max_bytes / _MB:.1f} MB)",
            )
        data = path.read_bytes()
    except OSError as err:
        raise RejectedInput(path, f"cannot read: {err.strerror or err}") from err
    if max_bytes is not None and len(data) > max_bytes:  # grew since stat()
        raise RejectedInput(
            path,
            f"file too large ({len(data) / _MB:.1f} MB > limit {max_bytes / _MB:.1f} MB)",
        )
    if not data:
        raise RejectedInput(path, "empty file")

    if path.suffix.lower() in _FORMAT_READERS:
        reader, encoding, media_type = _FORMAT_READERS[path.suffix.lower()]
        bound = {"max_chars": max_chars} if reader is formats.read_pdf else {"max_xml_bytes": max_xml_bytes}
        text, title = reader(data, path, **bound)
        text = xml_text(text)
        if not text.strip():
            raise RejectedInput(path, "empty document (no text but control characters)")
        _check_length(path, text, max_chars)
        return SourceText(path=path, text=text, encoding=encoding, media_type=media_type,
                          sha256=hashlib.sha256(data).hexdigest(), title=_xml_title(title))

    looks_html = path.suffix.lower() in _HTML_SUFFIXES or _bytes_look_like_html(data)
    if max_chars is not None and not looks_html and len(data) > 4 * max_chars:
        # No encoding read here takes more than 4 bytes a character: too long whatever it is.
        raise RejectedInput(path, formats._too_long(max_chars))
    text, encoding = _decode(path, data, looks_html)
    text = xml_text(_literal_line_breaks(text.replace("\r\n", "\n").replace("\r", "\n")))
    if not text.strip():
        raise RejectedInput(path, "empty file")

    is_html = path.suffix.lower() in _HTML_SUFFIXES or _text_is_html_document(text)
    title = None
    if is_html:
        text, title = _html_to_text(text)
        text = xml_text(text)  # character references (&#7;) may have made some
        if not text.strip():
            raise RejectedInput(path, "empty document (HTML has no visible text)")
    _check_length(path, text, max_chars)
    return SourceText(
        path=path,
        text=text,
        encoding=encoding,
        media_type="text/html" if is_html else "text/plain",
        sha256=hashlib.sha256(data).hexdigest(),
        title=_xml_title(title),
    )


_LITERAL_BREAK = re.compile(r"(?:\\r\\n|\\n|\\r)")


def _literal_line_breaks(text: str) -> str:
    r"""Line breaks a scraper wrote as the two characters ``\r\n`` (or ``\n``) made real ones,
    when the text uses them as its lines: at least three, and more of them than real line breaks.

    Examples
    --------
    >>> _literal_line_breaks(r"第一行\r\n第二行\r\n第三行\r\n第四行")
    '第一行\n第二行\n第三行\n第四行'
    >>> _literal_line_breaks(r"路径 C:\new 不是换行")
    '路径 C:\\new 不是换行'
    """
    literal = len(_LITERAL_BREAK.findall(text))
    if literal >= 3 and literal > text.count("\n"):
        return _LITERAL_BREAK.sub("\n", text)
    return text


def _check_length(path: Path, text: str, max_chars: int | None) -> None:
    if max_chars is not None and len(text) > max_chars:
        raise RejectedInput(path, f"text too long: {len(text):,} characters (the limit per document is {max_chars:,})")


def xml_text(text: str) -> str:
    """A document's text with only characters XML 1.0 can hold (:mod:`ontology.chars`).

    A vertical tab or a form feed (a line or page break in a text file) becomes a line break;
    every other such character (C0 controls, lone surrogates, ``\\ufffe``, ``\\uffff``) is removed,
    so that no name or sentence taken from the text carries one into the graph and its exports.

    Examples
    --------
    >>> xml_text("建设嘉兴\\x07智能研究院\\x0c二、目标\\ufffe")
    '建设嘉兴智能研究院\\n二、目标'
    """
    return xml_chars(text.replace("\x0b", "\n").replace("\x0c", "\n"))


def file_name(path) -> str:
    """The name of a file as the graph keeps it (``rkg:fileName``): a byte the file system's
    encoding cannot decode (held by Python as a lone surrogate) and a character XML cannot hold
    become U+FFFD.

    Examples
    --------
    >>> file_name(Path(os.fsdecode(b"/plans/plan\\xff\\x07.txt")))
    'plan��.txt'
    """
    return xml_chars(Path(path).name, "\ufffd")


def _xml_title(title: str | None) -> str | None:
    return (xml_chars(title.replace("\x0b", " ").replace("\x0c", " ")) or None) if title else title


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# C0 controls other than \t \n \v \f \r and ESC, plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.02


def _decode(path: Path, data: bytes, looks_html: bool) -> tuple[str, str]:
    """Decode `data` strictly; return (text, encoding name) or raise."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise RejectedInput(path, "cannot decode: UTF-32 is not supported")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec.replace("-sig", ""), errors="strict")
            except UnicodeDecodeError as err:
                raise RejectedInput(
                    path, f"cannot decode: invalid {name.upper()} after byte-order mark "
                    f"(at byte {err.start + len(bom)})"
                ) from err
            if _control_share(text) > _MAX_CONTROL_SHARE or "\x00" in text:
                raise RejectedInput(path, "binary file (control characters)")
            return text, name

    if b"\x00" in data:
        utf16 = _try_utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise RejectedInput(path, "binary file (NUL bytes)")

    n_control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if n_control > _MAX_CONTROL_SHARE * len(data):
        raise RejectedInput(path, "binary file (control characters)")

    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass

    note = ""
    declared = _declared_html_charset(data) if looks_html else None
    if declared in _GB_CHARSETS:
        # A declaration is evidence, not a guess: decode strictly, no plausibility test.
        try:
            return data.decode("gb18030", errors="strict"), "gb18030"
        except UnicodeDecodeError as err:
            raise RejectedInput(
                path, f"cannot decode: not valid {declared.upper()} as declared by "
                f"<meta charset> (at byte {err.start})"
            ) from err
    if declared is not None and not declared.startswith(("utf", "unicode")):
        note = f" (declared charset '{declared}' is not supported)"

    try:
        text = data.decode("gb18030", errors="strict")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_gb18030(text, data):
        return text, "gb18030"
    raise RejectedInput(path, "cannot decode: not UTF-8, UTF-16 or GB18030" + note)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_CHARS_RE.findall(text)) / len(text)


def _try_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Decode as UTF-16 only if NULs sit at alternating positions and the text is sane."""
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    units = len(data) // 2
    if odd_nuls >= even_nuls:
        codec, on_side, off_side = "utf-16-le", odd_nuls, even_nuls
    else:
        codec, on_side, off_side = "utf-16-be", even_nuls, odd_nuls
    # "Many NULs at alternating positions": ASCII characters give a NUL high
    # byte on one side in at least 3% of the code units; the other side only
    # gets NULs from CJK characters such as U+4E00, a few times less often.
    if on_side < max(2, 0.03 * units) or on_side < 4 * off_side:
        return None
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in text or _control_share(text) > _MAX_CONTROL_SHARE:
        return None
    if _common_share(text) < 0.95:
        return None
    return text, codec


# Characters normal in Chinese documents besides ASCII and common GB2312 ones:
# Latin-1 punctuation/symbols (incl. NBSP, ©, °, ×, ÷), general punctuation,
# letterlike symbols and numerals, enclosed numbers, CJK punctuation, full-width forms.
_COMMON_NON_GB2312_RE = re.compile(
    "[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2100-\u218f\u2460-\u24ff"
    "\u3000-\u303f\uff00-\uffef]"
)
_ASCII_RE = re.compile(r"[\x00-\x7f]+")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_GB_PLAUSIBLE = 0.90   # share of non-ASCII chars that are common: accept
_GB_AMBIGUOUS = 0.40   # between this and _GB_PLAUSIBLE: ask charset-normalizer


# GB2312 rows of common characters: A1-A3 (punctuation, numerals, full-width
# forms) and B0-F7 (the 6763 hanzi); rows A4-A9 (kana, Greek, Cyrillic, pinyin,
# box drawing) are rare in Chinese documents but frequent in mis-decoded bytes.
_RARE_GB2312_LEADS = bytes([*range(0x00, 0xA1), *range(0xA4, 0xB0), *range(0xF8, 0x100)])


def _gb2312_common_count(text: str) -> int:
    """Number of characters of the (ASCII-free) `text` that are common GB2312 characters."""
    encoded = text.encode("gb2312", errors="ignore")  # two bytes per non-ASCII character
    leads = encoded[0::2]
    return len(leads.translate(None, _RARE_GB2312_LEADS))


def _common_share(text: str) -> float:
    """Share of non-ASCII characters that are common in Chinese text."""
    non_ascii = _ASCII_RE.sub("", text)
    if not non_ascii:
        return 1.0
    rest = _COMMON_NON_GB2312_RE.sub("", non_ascii)
    n_common = len(non_ascii) - len(rest) + _gb2312_common_count(rest)
    return n_common / len(non_ascii)


def _plausible_gb18030(text: str, data: bytes) -> bool:
    """Whether a strict GB18030 decode looks like real (simplified) Chinese text."""
    if _control_share(text) > _MAX_CONTROL_SHARE:
        return False
    non_ascii = _ASCII_RE.sub("", text)
    if not non_ascii:
        return True
    if len(_PRIVATE_USE_RE.findall(non_ascii)) > 0.005 * len(non_ascii) + 1:
        return False
    share = _common_share(text)
    if share >= _GB_PLAUSIBLE:
        return True
    if share < _GB_AMBIGUOUS:
        return False
    return _charset_normalizer_says_gb(data)


def _charset_normalizer_says_gb(data: bytes) -> bool:
    """Second opinion for borderline cases (e.g. traditional characters in GBK)."""
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - optional dependency
        return False
    best = charset_normalizer.from_bytes(data).best()
    return best is not None and best.encoding in {"gb18030", "gbk", "gb2312", "cp936"}


# ---------------------------------------------------------------------------
# HTML

_GB_CHARSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
}
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE
)
_HTML_DOC_RE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def _declared_html_charset(data: bytes) -> str | None:
    m = _META_CHARSET_RE.search(data[:8192])
    return m.group(1).decode("ascii").lower() if m else None


def _bytes_look_like_html(data: bytes) -> bool:
    return _text_is_html_document(data[:65536].decode("latin-1"),
                                  data[-4096:].decode("latin-1"))


def _text_is_html_document(text: str, tail: str | None = None) -> bool:
    """True if `text` clearly is an HTML document, not text mentioning a tag.

    That is: it opens with a doctype or ``<html>``, or it has ``<html>`` and
    ``<head>``/``<body>`` near the start and ``</html>`` near the end.
    """
    if _HTML_DOC_RE.match(text[:4096]):
        return True
    head = text[:65536].lower()
    tail = (text[-4096:] if tail is None else tail).lower()
    return "<html" in head and ("<body" in head or "<head" in head) and "</html>" in tail


_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center",
        "details", "dialog", "div", "dl", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "html", "legend", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "tfoot", "thead", "title", "ul",
    }
)
# Tags that start a new line but do not end a paragraph (no blank line).
_LINE_TAGS = frozenset({"tr", "li", "dt", "dd", "option"})
_CELL_TAGS = frozenset({"td", "th"})
_HEAD_TAGS = frozenset({"head", "title", "meta", "link", "base", "style", "script",
                        "noscript", "template"})
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
     "param", "source", "track", "wbr"}
)
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_RUN_RE = re.compile(r"[ \t\n\r\f]+")
# A source line break between CJK characters is no space (Chinese pages also
# use ASCII punctuation, so "统领,\n加快" joins too).
_CJK_BREAK_RE = re.compile(
    f"(?<=[{_WIDE},.;:!?)])[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*(?=[{_WIDE}])"
)


class _TextExtractor(HTMLParser):
    """Collect visible text, turning block structure into line breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0       # inside script/style/...
        self.in_head = False
        self.in_title = False
        self.pre_depth = 0
        self.title_parts: list[str] = []
        self.h1_parts: list[str] | None = None
        self.first_h1: str | None = None
        self.line_has_text = False

    # structure -----------------------------------------------------------
    def _newline(self):
        self.parts.append("\n")
        self.line_has_text = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "head":
            self.in_head = True
        elif self.in_head and tag not in _HEAD_TAGS:
            self.in_head = False  # <body> or body content: the head has ended
        if tag == "title":
            self.in_title = True
        if tag == "h1" and self.first_h1 is None:
            self.h1_parts = []
        if tag == "pre":
            self.pre_depth += 1
        if tag == "br" or tag in _LINE_TAGS:
            self._newline()
        elif tag in _BLOCK_TAGS:
            self._newline()
        elif tag in _CELL_TAGS:
            if self.line_has_text:
                self.parts.append(" | ")
            else:
                self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            if self.skip_depth:
                self.skip_depth -= 1
            return
        if self.skip_depth:
            return
        if tag == "head":
            self.in_head = False
        if tag == "title":
            self.in_title = False
            self._newline()
        if tag == "h1" and self.h1_parts is not None:
            self.first_h1 = _collapse_inline("".join(self.h1_parts)) or None
            self.h1_parts = None
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in _BLOCK_TAGS:
            self._newline()
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
        elif self.in_head:
            return  # <head> content other than <title> is not text
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        if not self.pre_depth:
            data = _collapse_inline(data, keep_edges=True)
        if data.strip():
            self.line_has_text = True
        self.parts.append(data)

    # comments, doctype, processing instructions: dropped
    def handle_comment(self, data):
        pass

    def unknown_decl(self, data):
        if data.upper().startswith("CDATA[") and not self.skip_depth and not self.in_head:
            self.parts.append(_collapse_inline(data[6:], keep_edges=True))


def _collapse_inline(data: str, keep_edges: bool = False) -> str:
    """HTML whitespace collapsing; a line break between two CJK chars vanishes."""
    data = _CJK_BREAK_RE.sub("", data)
    data = _SPACE_RUN_RE.sub(" ", data)
    return data if keep_edges else data.strip()


_BLANK_RUN_RE = re.compile(r"\n{3,}")
_SPACES_RE = re.compile(r"  +")


def _html_to_text(markup: str) -> tuple[str, str | None]:
    """Extract (text, title) from an HTML document: its main content, else all its text.

    The main content (:func:`ingest.webpage.main_text`: the article without the site's
    navigation, breadcrumb, share buttons, related links and footer) is the normal path. A
    page with too little main text to tell the article from the site around it (a fragment, a
    stub, a test page) is read whole by :func:`_whole_page_text` instead: its visible text,
    without scripts, styles and comments; :func:`ingest.clean.clean` then marks navigation and
    footer lines in it. Line breaks between CJK characters in the source join the characters
    in both.

    Examples
    --------
    >>> text, title = _html_to_text("<title>规划</title><nav>首页</nav><p>正文。</p>")
    >>> text.split("\\n"), title  # too small to judge: the whole page
    (['规划', '', '首页', '', '正文。'], '规划')
    """
    main = webpage.main_text(_CJK_BREAK_RE.sub("", markup))
    if main is not None:
        return main.text, main.title
    return _whole_page_text(markup)


def _whole_page_text(markup: str) -> tuple[str, str | None]:
    """Extract (text, title) from all of an HTML document with :class:`_TextExtractor`."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [_SPACES_RE.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    title = _collapse_inline("".join(parser.title_parts)) or parser.first_h1
    return text, title or None
