"""Build ``ppocr/utils/ppocr_keys_v1.txt``, the Chinese recognition dictionary.

The file keeps PaddleOCR's name so its configs carry over, but its content is derived here from
first principles so it can be regenerated and audited:

1. all GB2312 level-1 and level-2 hanzi, in GB2312 code order (every 2-byte code 0xB0A1..0xF7FE
   that Python's ``gb2312`` codec decodes; the 5 unassigned codes at the end of level 1 and the
   invalid trail bytes are skipped) - 6763 characters;
2. the 94 printable, non-space ASCII characters (digits, letters, punctuation, as in en_dict.txt),
   because Chinese text lines routinely mix in Latin letters and numbers;
3. common full-width punctuation.

One character per line, UTF-8, ``\\n`` line ends, deterministic order.

Usage::

    python tools/build_chinese_dict.py            # (re)write the file
    python tools/build_chinese_dict.py --check    # exit 1 if the file is out of date
"""
from __future__ import annotations

import os
import string
import sys
from typing import List, Optional

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import tool_parser  # noqa: E402

DICT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ppocr", "utils", "ppocr_keys_v1.txt")
FULL_WIDTH_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·"
ASCII_CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase + string.punctuation


def gb2312_hanzi() -> List[str]:
    """Every hanzi of GB2312 levels 1 and 2 (rows 0xB0..0xF7, cells 0xA1..0xFE) in code order."""
    chars = []
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # unassigned code point (e.g. 0xD7FA..0xD7FE)
    return chars


def build_chars() -> List[str]:
    """The dictionary in file order, without duplicates."""
    seen = set()
    out = []
    for ch in [*gb2312_hanzi(), *ASCII_CHARS, *FULL_WIDTH_PUNCTUATION]:
        if ch not in seen:
            seen.add(ch)
            out.append(ch)
    return out


def render() -> str:
    return "".join(ch + "\n" for ch in build_chars())


def main(argv: Optional[List[str]] = None) -> int:
    parser = tool_parser(__doc__.splitlines()[0])
    parser.add_argument("--output", default=DICT_PATH, help="file to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only verify that the file is up to date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        try:
            with open(args.output, encoding="utf-8", newline="") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"{args.output} is out of date: rerun {os.path.basename(__file__)}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({text.count(chr(10))} characters)")
        return 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {args.output}: {text.count(chr(10))} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
