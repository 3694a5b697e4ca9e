"""CSV with a header row, as spreadsheets write it.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text", with or
without a byte-order mark), GB18030/GBK as Chinese Excel saves "CSV", or any encoding named with
`--encoding`. The delimiter (comma, semicolon or tab) is the one the
header line uses most outside quotes. Records carry the physical line they start on, counting
the newlines inside quoted values, so a report points at the line a spreadsheet user can find.
The columns are read by `table.TableReader`, as a workbook's sheet is.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from crmtui.errors import CrmError, InvalidInput
from crmtui.i18n import _
from crmtui.plaintext import strip_controls
from crmtui.services.transfer.columns import IMPORT_FIELDS
from crmtui.services.transfer.records import SourceFile
from crmtui.services.transfer.table import TableReader

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the name of its encoding (the one given, or the one detected)."""
    if encoding:
        return _decode_as(data, name, encoding)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise CrmError(
                _('{name} starts like UTF-16 text but is not; save it as "CSV UTF-8"').format(
                    name=name
                )
            ) from None
    if b"\x00" in data[:65536]:
        return _decode_utf16_without_bom(data, name)
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise CrmError(
            _(
                "{name} is neither UTF-8 nor GB18030 (GBK) text; save it as "
                '"CSV UTF-8", or name its encoding with --encoding'
            ).format(name=name)
        ) from None


def _decode_as(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InvalidInput.one(
            "encoding",
            _(
                "'{encoding}' is not an encoding Python knows "
                "(utf-8, utf-16-le, gb18030, big5, shift_jis…)"
            ).format(encoding=encoding),
        ) from None
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as error:
        raise CrmError(
            _("{name} is not {encoding} text (byte {offset} cannot be read)").format(
                name=name, encoding=encoding, offset=error.start
            )
        ) from None
    return text.lstrip("\ufeff"), codec.name.upper()


def _utf16_without_bom(data: bytes, name: str) -> str:
    """UTF-16 saved without a byte-order mark: text in Latin letters, digits and delimiters has a
    zero byte in every other position (the odd ones for little-endian). The codec's name."""
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd > half // 4 and even < odd // 8:
        return "utf-16-le"
    if even > half // 4 and odd < even // 8:
        return "utf-16-be"
    raise CrmError(
        _(
            "{name} holds zero bytes, so it is not text in any encoding crmtui "
            'detects; save it as "CSV UTF-8", or name its encoding with '
            "--encoding"
        ).format(name=name)
    )


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    codec = _utf16_without_bom(data, name)
    try:
        return data.decode(codec), "UTF-16"
    except UnicodeDecodeError:
        raise CrmError(
            _(
                "{name} looks like UTF-16 text without a byte-order mark but is not; "
                'save it as "CSV UTF-8", or name its encoding with --encoding'
            ).format(name=name)
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the first non-empty line uses most outside quotes (comma on a tie)."""
    header = ""
    for line in io.StringIO(text, newline=""):
        if line.strip():
            header = line
            break
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse_mapping(pairs: Iterable[str]) -> dict[str, str | None]:
    """--map COLUMN=FIELD options: column -> field, or None to ignore the column."""
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        if not isinstance(pair, str):  # argparse drops a bare "--" value: `--map=--`
            pair = "--"
        column, sep, target = pair.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column:
            raise CrmError(_("--map takes COLUMN=FIELD, not '{pair}'").format(pair=pair))
        if target in ("", "-"):
            mapping[column] = None
        elif target not in IMPORT_FIELDS:
            raise CrmError(
                _("--map {pair}: '{field}' is not a field; the fields are {fields}").format(
                    pair=pair, field=target, fields=", ".join(IMPORT_FIELDS)
                )
            )
        else:
            mapping[column] = target
    return mapping


def read_csv(
    text: str | TextIO,
    *,
    encoding: str = "UTF-8",
    mapping: Mapping[str, str | None] | None = None,
    strip_marks: bool = False,
) -> SourceFile:
    """A CSV file's records, read as they are needed (the header is read at once). `text` is
    the file's text, or a text stream (opened with newline="") read as the records are;
    `strip_marks` drops byte-order marks at its start (an encoding named by the user)."""
    stream = io.StringIO(text, newline="") if isinstance(text, str) else text
    head: list[str] = []
    for line in stream:  # the lines up to the first that is not blank: the header
        if not head and strip_marks:
            line = line.lstrip("\ufeff")
        head.append(line)
        if line.strip():
            break
    delimiter = sniff_delimiter(head[-1] if head else "")
    source = SourceFile(kind="csv", encoding=encoding, delimiter=delimiter)
    return TableReader(source, mapping).read(
        _physical_rows(itertools.chain(head, stream), delimiter, stream)
    )


def _physical_rows(
    lines: Iterable[str], delimiter: str, stream: TextIO
) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line, values, problem) for each non-blank record of the file."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    last_line = 0
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                start, last_line = last_line + 1, reader.line_num
                yield (
                    start,
                    [],
                    _("unreadable CSV ({error}); check the quotes on this row").format(error=error),
                )
                continue
            start, last_line = last_line + 1, reader.line_num
            if any(map(str.strip, row)):  # a cell with more than white space
                yield start, row, None
    finally:
        stream.close()


def open_text(path: Path, head: bytes, encoding: str | None = None) -> tuple[TextIO, str, bool]:
    """The file as a text stream (newline=""), the name of its encoding and whether byte-order
    marks at its start are left for the reader to drop: as `decode` reads it, without holding
    the file in memory. The whole file is checked first (a stream of small reads), so a byte
    that is not text is reported before anything is read from it. `head` is its first 64 KiB."""
    name = path.name
    if encoding:
        try:
            codec = codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput.one(
                "encoding",
                _(
                    "'{encoding}' is not an encoding Python knows "
                    "(utf-8, utf-16-le, gb18030, big5, shift_jis…)"
                ).format(encoding=encoding),
            ) from None
        offset = _undecodable_at(path, codec.name)
        if offset is not None:
            raise CrmError(
                _("{name} is not {encoding} text (byte {offset} cannot be read)").format(
                    name=name, encoding=encoding, offset=offset
                )
            )
        return _open(path, codec.name), codec.name.upper(), True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _undecodable_at(path, "utf-16") is not None:
            raise CrmError(
                _('{name} starts like UTF-16 text but is not; save it as "CSV UTF-8"').format(
                    name=name
                )
            )
        return _open(path, "utf-16"), "UTF-16", False
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head, name)
        if _undecodable_at(path, utf16) is not None:
            raise CrmError(
                _(
                    "{name} looks like UTF-16 text without a byte-order mark but is "
                    'not; save it as "CSV UTF-8", or name its encoding with '
                    "--encoding"
                ).format(name=name)
            )
        return _open(path, utf16), "UTF-16", False
    if _undecodable_at(path, "utf-8-sig") is None:
        return _open(path, "utf-8-sig"), "UTF-8", False
    if _undecodable_at(path, "gb18030") is None:
        return _open(path, "gb18030"), "GB18030", False
    raise CrmError(
        _(
            "{name} is neither UTF-8 nor GB18030 (GBK) text; save it as "
            '"CSV UTF-8", or name its encoding with --encoding'
        ).format(name=name)
    )


def _open(path: Path, codec: str) -> TextIO:
    return open(path, encoding=codec, newline="")  # noqa: SIM115 (closed by the reader)


def _undecodable_at(path: Path, codec: str, chunk: int = 1 << 20) -> int | None:
    """The offset of the first byte that cannot be read as `codec`, or None: the file is
    decoded a chunk at a time and the text thrown away."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with open(path, "rb") as handle:
        while True:
            data = handle.read(chunk)
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as error:
                return offset - len(decoder.getstate()[0]) + error.start
            if not data:
                return None
            offset += len(data)


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a header and rows; values holding delimiters, quotes or newlines are quoted."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        # stored text is only ever text, in files too (rows an older version stored unclean)
        writer.writerow(
            [
                strip_controls(value, multiline=True) if isinstance(value, str) else value
                for value in row
            ]
        )
        count += 1
    return count
