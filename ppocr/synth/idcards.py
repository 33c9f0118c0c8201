"""Lines of identity documents (rec kind ``idcard``): machine-readable zones and capitalised fields.

A machine-readable zone (ICAO 9303) is two or three lines of fixed length in an OCR-B-like monospaced
face, with ``<`` as filler: names are ``SURNAME<<GIVEN<NAMES``, numbers carry check digits. None of the
other kinds has runs of ``<``, and a recognizer that never saw them reads them as ``4`` or ``K``. The
fields above the zone (names, addresses, dates) are printed in capitals with wide letter spacing. Both sit
on security backgrounds: pale microtext and guilloche lines under the ink.
"""
from __future__ import annotations

import string
from typing import List, Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .corpus import TextSampler
from .fonts import FontInfo
from .rec_crops import Crop, choose_text

# Some ICAO state codes (``D<<`` is Germany's); the code only has to look like one.
_STATES = ("FRA", "D<<", "GBR", "USA", "ITA", "ESP", "NLD", "BEL", "CHE", "AUT", "POL", "SWE", "CAN", "AUS",
           "IRL", "PRT", "NOR", "DNK", "FIN", "CZE", "HUN", "GRC", "ROU", "MEX", "BRA", "IND", "JPN", "UTO")
# ICAO 9303 formats and their line length (TD1 has three lines, TD2 and TD3 two).
_FORMATS = {"TD1": 30, "TD2": 36, "TD3": 44}
_RENDER_PX = 48


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: digits count as themselves, A-Z as 10-35, ``<`` as 0; weights 7, 3, 1."""
    total = 0
    for i, c in enumerate(field):
        value = int(c) if c.isdigit() else ord(c) - 55 if c.isalpha() else 0
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def _letters(word: str) -> str:
    return "".join(c for c in word.upper() if c in string.ascii_uppercase)


def _mrz_name(rng: np.random.Generator, sampler: TextSampler) -> str:
    surname = "<".join(filter(None, (_letters(sampler.word()) for _ in range(int(rng.integers(1, 3))))))
    given = "<".join(filter(None, (_letters(sampler.word()) for _ in range(int(rng.integers(1, 4))))))
    return f"{surname or 'X'}<<{given or 'X'}"


def _alnum(rng: np.random.Generator, n: int, digit_share: float = 0.6) -> str:
    pool = np.array(list(string.digits if rng.random() < digit_share else string.digits + string.ascii_uppercase))
    return "".join(rng.choice(pool, n))


def _yymmdd(rng: np.random.Generator) -> str:
    return f"{int(rng.integers(0, 100)):02d}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"


def _pad(text: str, n: int) -> str:
    return (text + "<" * n)[:n]


def mrz_lines(rng: np.random.Generator, sampler: TextSampler) -> List[str]:
    """The lines of one machine-readable zone (TD1: 3 x 30, TD2: 2 x 36, TD3: 2 x 44 characters)."""
    fmt = str(rng.choice(list(_FORMATS)))
    n = _FORMATS[fmt]
    state, nationality = str(rng.choice(_STATES)), str(rng.choice(_STATES))
    number = _pad(_alnum(rng, int(rng.integers(6, 10))), 9)
    birth, expiry = _yymmdd(rng), _yymmdd(rng)
    sex = str(rng.choice(["M", "F", "<"]))
    dates = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}"
    optional = _pad(_alnum(rng, int(rng.integers(0, 12))), n - 30 if fmt != "TD1" else 15)
    if fmt == "TD1":
        code = str(rng.choice(["ID", "I<", "AC", "IR"]))
        first = f"{code}{state}{number}{check_digit(number)}{optional}"
        second = _pad(f"{dates}{nationality}", 29)
        second += check_digit(first[5:30] + second[0:7] + second[8:15] + second[18:29])
        return [first, second, _pad(_mrz_name(rng, sampler), n)]
    code = "P<" if fmt == "TD3" else str(rng.choice(["I<", "ID", "AC"]))
    first = _pad(f"{code}{state}{_mrz_name(rng, sampler)}", n)
    body = f"{number}{check_digit(number)}{nationality}{dates}{optional}"
    second = _pad(body + (check_digit(optional) if fmt == "TD3" else ""), n - 1)
    return [first, second + check_digit(second[0:10] + second[13:20] + second[21:n - 1])]


def _field_text(rng: np.random.Generator, sampler: TextSampler) -> str:
    """A field printed on the card: a name, an address, a date or a document number."""
    r = rng.random()
    if r < 0.3:
        text = " ".join(sampler.word() for _ in range(int(rng.integers(1, 4))))
    elif r < 0.6:
        text = f"{int(rng.integers(1, 300))} {sampler.word()} {sampler.word()} {sampler.word()}"
    elif r < 0.8:
        text = f"{int(rng.integers(1, 29)):02d}.{int(rng.integers(1, 13)):02d}.{int(rng.integers(1930, 2030))}"
    else:
        text = _alnum(rng, int(rng.integers(6, 13)), 0.3)
    return text.upper() if rng.random() < 0.8 else text


def _security_background(rng: np.random.Generator, h: int, w: int, fonts: Sequence[FontInfo],
                         sampler: TextSampler) -> Image.Image:
    """Pale paper with wavy guilloche lines and rows of tiny microtext in light tints."""
    paper = tuple(int(v) for v in rng.integers(215, 256, 3))
    img = Image.new("RGB", (w, h), paper)
    draw = ImageDraw.Draw(img)

    def tint() -> tuple:
        return tuple(int(v) for v in np.clip(np.array(paper) - rng.integers(25, 90, 3), 0, 255))

    xs = np.arange(0, w, 2)
    for _ in range(int(rng.integers(0, 6))):
        y = rng.uniform(0, h) + rng.uniform(2, h / 3) * np.sin(xs / rng.uniform(8, 40) + rng.uniform(0, 6))
        draw.line(list(zip(xs.tolist(), y.tolist())), fill=tint(), width=1)
    if rng.random() < 0.8:
        micro = fonts[int(rng.integers(len(fonts)))].get(int(rng.integers(9, 15)))
        color = tint()
        for y in range(int(rng.integers(-8, 0)), h, int(micro.size * rng.uniform(1.0, 1.5))):
            line = " ".join(sampler.word().upper() for _ in range(max(1, w // (micro.size * 4))))
            draw.text((int(rng.integers(-40, 0)), y), line, font=micro, fill=color)
    return img


def render_idcard_crop(rng: np.random.Generator, fonts: Sequence[FontInfo], max_len: int, charset: str) -> Crop:
    """One line of an identity document: a machine-readable zone line (70%) or a capitalised field."""
    sampler = TextSampler(rng, charset)
    is_mrz = rng.random() < 0.7
    mono = [f for f in fonts if f.mono and not f.light]
    pool = mono if is_mrz and mono and rng.random() < 0.85 else [f for f in fonts if not f.light] or list(fonts)
    font_info = pool[int(rng.integers(len(pool)))]
    draw_text = (lambda: str(rng.choice(mrz_lines(rng, sampler)))) if is_mrz else (lambda: _field_text(rng, sampler))
    text = choose_text(rng, draw_text, font_info, charset, max_len)
    font = font_info.get(_RENDER_PX)
    tracking = float(rng.uniform(0.1, 0.5) if is_mrz else rng.uniform(0.0, 0.25)) * _RENDER_PX
    advances = [font.getlength(c) + tracking for c in text]
    pad_x, pad_y = int(rng.integers(4, 24)), int(_RENDER_PX * rng.uniform(0.1, 0.45))
    w = int(sum(advances) - tracking) + 2 * pad_x
    h = int(_RENDER_PX * 1.2) + 2 * pad_y
    img = _security_background(rng, h, w, fonts, sampler)
    draw = ImageDraw.Draw(img)
    ink = tuple(int(v) for v in rng.integers(0, 70, 3))
    x = float(pad_x)
    for c, a in zip(text, advances):
        draw.text((x, pad_y + _RENDER_PX), c, font=font, anchor="ls", fill=ink)
        x += a
    out = np.asarray(img, np.float32)
    target_h = float(rng.uniform(18, 56))
    s = target_h / h
    out = cv2.resize(out, (max(4, round(w * s)), max(4, round(target_h))), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.5:
        out = cv2.GaussianBlur(out, (0, 0), float(rng.uniform(0.3, 1.0)))
    out = out + rng.normal(0, float(rng.uniform(0, 8)), out.shape).astype(np.float32)
    return Crop(np.clip(out, 0, 255).astype(np.uint8), text, int(rng.integers(40, 96)))
