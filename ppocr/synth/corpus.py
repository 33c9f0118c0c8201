"""Text sampling for synthetic pages and crops: words, sentences and document-style fields.

Everything is drawn from a ``numpy.random.Generator`` passed in by the caller so that a
sample is fully determined by its seed (and by the word list on the machine, see below).
Words come from a small hand-written list of frequent words and, when a system word list
is installed (Debian's ``wamerican``: ``/usr/share/dict/words``, about 100k words) and the
generator is not hermetic (``PPOCR_HERMETIC``), from it too, so that rare letter combinations appear; the mix of numbers, dates, prices, codes and
punctuation matters more for OCR than linguistic realism.
"""
from __future__ import annotations

import functools
import os
import re
import string
import unicodedata
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .hermetic import hermetic

# Printable ASCII without tab/newline: what a recogniser trained on this data can output.
DEFAULT_CHARSET = string.digits + string.ascii_letters + string.punctuation + " "
# Letters of French, German, Spanish, Portuguese and Nordic text (see TextSampler's ``accents``).
ACCENTED_LETTERS = "àâäáãåçéèêëíìîïñóòôöõøúùûüýÿœæßÀÂÄÁÃÅÇÉÈÊËÍÎÏÑÓÔÖÕØÚÙÛÜŒÆ"


def accent_variants(charset: str) -> Dict[str, List[str]]:
    """Plain ASCII letter -> the accented forms of it that ``charset`` holds, in charset order (``é`` is an
    ``e`` by Unicode decomposition; letters without one, such as ``ß``, ``ø`` or ``ł``, are not variants)."""
    variants: Dict[str, List[str]] = {}
    for c in charset:
        base = unicodedata.normalize("NFD", c)[0]
        if c != base and base in string.ascii_letters:
            variants.setdefault(base, []).append(c)
    return variants


def dictionary_charset(path: str) -> str:
    """The characters of a recognition dictionary file plus space: what generated text may hold (ValueError
    names a missing or malformed file)."""
    from ppocr.errors import ConfigError
    from ppocr.utils.character import read_dict_file, resolve_dict_path

    try:
        chars = read_dict_file(resolve_dict_path(path))
    except FileNotFoundError:
        raise ValueError(f"--dict: no such file: {path}") from None
    except ConfigError as e:
        raise ValueError(f"--dict: {e}") from None
    return "".join(chars) + ("" if " " in chars else " ")


_WORDS = """
the of and to in is for on that with as by at from this be are was or it an not have
which will all can has more their one new other about also after time year people
report total order number account service company market price value amount date
page section table figure note summary result results method data system model
process project group level rate change growth share cost costs sales revenue income
customer client product products item items quantity unit units invoice receipt
payment balance credit debit tax discount shipping delivery address phone email
office department manager director team member meeting agenda minutes schedule
monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december morning evening
north south east west city street road avenue park river lake hill station bridge
house home school library museum hospital hotel restaurant market garden center
first second third last next previous final annual monthly weekly daily current
small large long short high low early late open closed public private local global
important general special simple clear quick slow strong light dark green blue red
black white yellow orange purple brown gray silver gold paper stone water fire air
read write send receive check review approve update create delete print copy scan
please thank you dear sincerely regards contact information details terms conditions
policy notice warning error status ready pending complete active inactive available
training testing validation learning network image images text line lines word
words character document documents letter letters book books chapter story history
science research study analysis design development support version release build
energy power light sound music video camera screen window door table chair desk
food coffee tea bread fruit apple orange banana milk sugar salt rice fish chicken
travel flight train ticket seat gate arrival departure journey visit guest room
health care medical patient doctor nurse clinic test dose daily tablet
weather rain snow wind sun cloud storm temperature degrees forecast season summer
winter spring autumn world country nation state region area zone field ground
through between under over before during without within against across toward
very most many much some any each every few several both either neither only just
good great better best well right left true false free full empty same different
make made take taken give given find found keep kept show shown know known think
""".split()

_CONTRACTIONS = ["don't", "can't", "won't", "isn't", "wasn't", "didn't", "couldn't", "wouldn't", "doesn't",
                 "aren't", "it's", "I'm", "I'll", "I've", "I'd", "you're", "they're", "we're", "that's",
                 "there's", "he's", "she's", "let's", "ain't", "o'clock", "'em"]

_NAMES = """
Alice Bob Carol David Emma Frank Grace Henry Irene Jack Karen Louis Maria Nora Oscar
Paula Quinn Robert Sarah Thomas Ursula Victor Wendy Xavier Yusuf Zoe London Paris Berlin
Madrid Rome Vienna Prague Oslo Dublin Lisbon Boston Chicago Denver Austin Seattle Toronto
Sydney Tokyo Seoul Delhi Cairo Lima Acme Globex Initech Umbrella Northwind Contoso
""".split()

_TITLES = ["Introduction", "Summary", "Overview", "Results", "Discussion", "Conclusion",
           "Appendix", "Background", "Methods", "References", "Invoice", "Receipt",
           "Statement", "Agenda", "Notes", "Contents", "Abstract", "Report", "Details",
           "Terms and Conditions", "Order Summary", "Payment Details", "Contact",
           "Shipping Information", "Annual Report", "Meeting Minutes", "Price List"]

_FIELD_KEYS = ["Date", "Invoice No", "Order", "Total", "Subtotal", "Tax", "Amount",
               "Phone", "Tel", "Fax", "Email", "Ref", "ID", "Account", "Due", "Qty", "Price",
               "Name", "Customer", "Item", "Code", "Page", "Time", "Balance", "VAT", "No."]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"]
_UNITS = ["kg", "g", "mm", "cm", "m", "km", "ml", "L", "h", "min", "s", "%", "pcs", "MB",
          "GB", "kW", "V", "Hz"]
_CURRENCY = ["$", "EUR ", "USD ", "$", "GBP ", ""]

SYSTEM_WORD_LIST = "/usr/share/dict/words"
_PLAIN_WORD = re.compile(r"^[A-Za-z]{2,14}$")  # no possessives ("Aaron's"), accents or one-letter entries


@functools.lru_cache(maxsize=None)
def dictionary_words(path: str = SYSTEM_WORD_LIST) -> Tuple[str, ...]:
    """The plain ASCII words of a one-word-per-line list; empty when the file is absent."""
    if not os.path.isfile(path):
        return ()
    with open(path, encoding="utf-8", errors="ignore") as f:
        return tuple(w for w in (line.strip() for line in f) if _PLAIN_WORD.match(w))


def system_words() -> Tuple[str, ...]:
    """The system word list's plain words, or none when the generator is hermetic."""
    return () if hermetic() else dictionary_words()


def builtin_word_count() -> int:
    """How many words the built-in lists hold (frequent words and names)."""
    return len(_WORDS) + len(_NAMES)


class TextSampler:
    """Draws strings of many shapes from a seeded generator."""

    def __init__(self, rng: np.random.Generator, charset: str = DEFAULT_CHARSET, accents: float = 0.0):
        """``accents``: the chance that a word gets a Latin accent on one of its letters (``été``, ``Müller``),
        so that a detector meets the marks above and below the line of European text."""
        self.rng = rng
        self.charset = charset
        self.accents = accents
        self._variants = accent_variants(charset) if accents else {}
        self._dictionary = system_words()
        self._non_space = [c for c in charset if c != " "]
        self._punct = [c for c in self._non_space if c in string.punctuation]

    # -- primitives -------------------------------------------------------------------
    def _pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.rng.integers(len(seq)))]

    def _chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def word(self) -> str:
        """A frequent word, a dictionary word or a name, with random capitalisation."""
        r = self.rng.random()
        if r < 0.1:
            w = self._pick(_NAMES)
        elif r < 0.5 and self._dictionary:
            w = self._pick(self._dictionary)
        else:
            w = self._pick(_WORDS)
        if self.accents and self.rng.random() < self.accents:
            w = self._accented(w)
        r = self.rng.random()
        if r < 0.15:
            return w.capitalize()
        if r < 0.2:
            return w.upper()
        return w

    def _accented(self, word: str) -> str:
        """``word`` with one or two of its letters accented, as the charset allows (see :func:`accent_variants`)."""
        places = [i for i, c in enumerate(word) if c in self._variants]
        chars = list(word)
        for i in self.rng.permutation(places)[:int(self.rng.integers(1, 3))]:
            chars[i] = self._pick(self._variants[chars[i]])
        return "".join(chars)

    def integer(self) -> str:
        """An integer, sometimes with thousands separators or a sign."""
        digits = int(self.rng.integers(1, 8))
        n = int(self.rng.integers(10 ** (digits - 1), 10 ** digits))
        s = f"{n:,}" if n >= 1000 and self._chance(0.4) else str(n)
        return ("-" + s) if self._chance(0.05) else s

    def decimal(self) -> str:
        """A decimal number, optionally with a unit or percent sign."""
        value = self.rng.random() * 10 ** int(self.rng.integers(1, 5))
        s = f"{value:.{int(self.rng.integers(1, 4))}f}"
        if self._chance(0.35):
            s += ("" if self._chance(0.5) else " ") + self._pick(_UNITS)
        return s

    def price(self) -> str:
        """A money amount like ``$1,234.50`` or ``EUR 12.00``."""
        amount = float(self.rng.random() * 10 ** int(self.rng.integers(1, 5)))
        s = f"{amount:,.2f}" if self._chance(0.5) else f"{amount:.2f}"
        return self._pick(_CURRENCY) + s

    def date(self) -> str:
        """A date in one of several common formats, or a time."""
        y = int(self.rng.integers(1990, 2031))
        m = int(self.rng.integers(1, 13))
        d = int(self.rng.integers(1, 29))
        fmt = int(self.rng.integers(7))
        if fmt == 0:
            return f"{y:04d}-{m:02d}-{d:02d}"
        if fmt == 1:
            return f"{d:02d}/{m:02d}/{y:04d}"
        if fmt == 2:
            return f"{m}/{d}/{y % 100:02d}"
        if fmt == 3:
            return f"{d} {_MONTHS[m - 1]} {y}"
        if fmt == 4:
            return f"{_MONTHS[m - 1]}. {d}, {y}"
        if fmt == 5:
            return f"{d:02d}.{m:02d}.{y}"
        return f"{int(self.rng.integers(24)):02d}:{int(self.rng.integers(60)):02d}"

    def code(self) -> str:
        """An identifier such as ``AB-1234``, ``INV/2023/0042`` or ``x7Q9k``."""
        kind = int(self.rng.integers(4))
        up = string.ascii_uppercase
        if kind == 0:
            pre = "".join(self._pick(up) for _ in range(int(self.rng.integers(1, 4))))
            return f"{pre}-{int(self.rng.integers(10, 100000))}"
        if kind == 1:
            prefix = self._pick(["INV", "PO", "REF", "NO", "SN"])
            year = int(self.rng.integers(2000, 2031))
            return f"{prefix}/{year}/{int(self.rng.integers(1, 10000)):04d}"
        if kind == 2:
            alnum = string.ascii_letters + string.digits
            return "".join(self._pick(alnum) for _ in range(int(self.rng.integers(3, 11))))
        a, b, c = (int(self.rng.integers(lo, hi)) for lo, hi in ((1, 99), (100, 999), (1000, 9999)))
        return f"+{a} {b} {c}"  # phone number

    def email(self) -> str:
        """An e-mail address or a web address."""
        user = self._pick(_WORDS) + ("." + self._pick(_WORDS) if self._chance(0.4) else "")
        host = self._pick(_NAMES).lower()
        tld = self._pick(["com", "org", "net", "io", "co.uk", "de"])
        r = self.rng.random()
        if r < 0.2:
            return f"www.{host}.{tld}"
        if r < 0.35:
            path = "/".join(self._pick(_WORDS) for _ in range(int(self.rng.integers(1, 4))))
            return f"{self._pick(['https://', 'http://', ''])}{host}.{tld}/{path}"
        return f"{user}@{host}.{tld}"

    def token(self) -> str:
        """One token (a word, or a field such as ``12 Mar 2021`` that may contain spaces)."""
        r = self.rng.random()
        if r < 0.8:
            return self.word()
        if r < 0.87:
            return self.integer()
        if r < 0.9:
            return self.decimal()
        if r < 0.93:
            return self.price()
        if r < 0.96:
            return self.date()
        return self.code()

    def random_chars(self, n: int) -> str:
        """``n`` characters drawn uniformly from the charset, so rare symbols appear too."""
        out = [self._pick(self._non_space) for _ in range(n)]
        # Occasional spaces inside, never at the ends.
        for i in range(1, n - 1):
            if self._chance(0.12) and out[i - 1] != " ":
                out[i] = " "
        return "".join(out)

    # -- composite --------------------------------------------------------------------
    def words(self, n_chars: int) -> List[str]:
        """Sentence-like tokens (with punctuation attached) totalling about ``n_chars``."""
        out: List[str] = []
        total = 0
        start = True
        while total < n_chars:
            w = self.token()
            if start and w[:1].isalpha():
                w = w[0].upper() + w[1:]
            start = False
            r = self.rng.random()
            if r < 0.1:
                w += ","
            elif r < 0.17:
                w += "."
                start = True
            elif r < 0.19:
                w += self._pick([";", ":", "!", "?"])
            elif r < 0.21:
                w = "(" + w + ")"
            elif r < 0.225:
                w = '"' + w + '"'
            elif r < 0.235:
                w = w + "-" + self.word()
            out.append(w)
            total += len(w) + 1
        return out

    def prose(self, n_chars: int) -> List[str]:
        """Like :meth:`words`, with the contractions and possessives of running text (``don't``, ``Tom's``)."""
        out = self.words(n_chars)
        for i, w in enumerate(out):
            r = self.rng.random()
            if r < 0.06:
                c = self._pick(_CONTRACTIONS)
                out[i] = c.capitalize() if w[:1].isupper() else c
            elif r < 0.1 and w[-1:].isalpha():
                out[i] = w + "'s"
        return out

    def break_line_end(self, line: str, p: float) -> str:
        """With chance ``p``, ``line`` as a justified book line ends: its last word cut after two or more
        letters with a hyphen (``identi-``), the rest of the word left to the next line."""
        head, _, last = line.rpartition(" ")
        if not (head and last.isalpha() and len(last) >= 5 and self._chance(p)):
            return line
        return f"{head} {last[:int(self.rng.integers(2, len(last) - 1))]}-"

    def heading(self) -> str:
        """A short title, sometimes numbered (``2.1 Results``)."""
        t = self._pick(_TITLES) if self._chance(0.6) else " ".join(
            self.word().capitalize() for _ in range(int(self.rng.integers(1, 5))))
        r = self.rng.random()
        if r < 0.3:
            t = f"{int(self.rng.integers(1, 10))}. {t}"
        elif r < 0.4:
            t = f"{int(self.rng.integers(1, 10))}.{int(self.rng.integers(1, 10))} {t}"
        elif r < 0.5:
            t = t.upper()
        return t

    def field_value(self) -> str:
        """The value part of a key/value line: a number, price, date, code, e-mail or words."""
        r = self.rng.random()
        if r < 0.2:
            return self.price()
        if r < 0.35:
            return self.date()
        if r < 0.5:
            return self.code()
        if r < 0.62:
            return self.integer()
        if r < 0.7:
            return self.decimal()
        if r < 0.78:
            return self.email()
        return " ".join(self.word() for _ in range(int(self.rng.integers(1, 4))))

    def field_key(self) -> str:
        """The label part of a key/value line, e.g. ``Total:``."""
        k = self._pick(_FIELD_KEYS)
        return k + (":" if self._chance(0.8) else "")

    def short_line(self) -> str:
        """A short stand-alone line: number, date, price, code, e-mail or key: value."""
        r = self.rng.random()
        if r < 0.35:
            return f"{self.field_key()} {self.field_value()}"
        return self.field_value()

    def rec_text(self, max_len: int = 25) -> str:
        """A 1..``max_len`` character string for a recognition crop."""
        r = self.rng.random()
        if r < 0.28:
            t = self.word()
        elif r < 0.5:
            t = self.break_line_end(clip_text(" ".join(self.words(int(self.rng.integers(4, max(5, max_len + 1))))),
                                              max_len), 0.1)
        elif r < 0.6:
            t = self.integer() if self._chance(0.5) else self.decimal()
        elif r < 0.66:
            t = self.price()
        elif r < 0.72:
            t = self.date()
        elif r < 0.78:
            t = self.code()
        elif r < 0.82:
            t = self.email()
        elif r < 0.86:
            t = self.short_line()
        else:
            t = self.random_chars(int(self.rng.integers(1, max_len + 1)))
        return clip_text(t, max_len)


def clip_text(text: str, max_len: int) -> str:
    """Cut ``text`` to at most ``max_len`` characters, preferring a word boundary."""
    text = " ".join(text.split())
    if len(text) <= max_len:
        return text
    cut = text[:max_len]
    if " " in cut and text[max_len] != " ":
        head = cut.rsplit(" ", 1)[0]
        if len(head) >= max_len // 2:
            return head.strip()
    return cut.strip()
