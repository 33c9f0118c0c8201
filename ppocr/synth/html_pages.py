"""Web pages as exactly labelled OCR data: local HTML files rendered by headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by Selenium), each text line's text and box taken from the DOM.

Every sample loads a page in a random viewport (width, height, device pixel ratio), with a random theme
(as written, or dark), a random root font size and sometimes another font family injected as CSS, scrolled
to a random place; so one page gives many screenshots. The words of every visible text node are located
with ``Range.getClientRects()``; a word counts as visible when its node is (``checkVisibility``) and the
element under its centre is its own (not covered by a fixed header or a pop-up). Words join into a line
when they sit in the same block element, on the same baseline, with a small gap. Boxes are then shrunk to
the ink of the screenshot, as the generated kinds label it. Lines with characters outside the dictionary,
words broken across lines and text cut by the viewport's edge are ignore regions ("###"), and so are
pictures (they may show text: logos, screenshots), form controls and list markers (numbers and bullets the DOM does not
hold); covered or hidden text is neither a label nor an ignore region.

A page is left out, and another drawn, when it does not load in time or shows too little text;
real_pages.SKIPPED counts why. Nothing is fetched from the network: host names do not resolve.
"""
from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .page import TextBox
from .pdf_pages import normalise_text
from .real_pages import draw_usable, find_sources, finish_page

HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
VIEWPORT_WIDTH = (360, 1600)  # CSS px
VIEWPORT_HEIGHT = (480, 1100)
PIXEL_RATIOS = (1.0, 1.0, 1.25, 1.5, 2.0)
ROOT_FONT_SIZE = (85, 130)  # % of the page's own
DARK_SHARE = 0.3
FONT_SWAP_SHARE = 0.3
MIN_LINES = 3  # a screenshot with fewer labelled lines is left out
MIN_TEXT_PX = 8  # lines lower than this (px, as captured) are ignore regions
LINE_GAP = 1.5  # words further apart than this many line heights start a new line
LOAD_TIMEOUT_S = 20
SKIP_REASONS = ("page did not load", "too little visible text")
INSTALL_HINT = ("the html kind needs Chromium and its driver (Debian: apt-get install chromium chromium-driver) "
                "and Selenium (pip install -r requirements-html.txt)")

# Collects the words of the visible text nodes: [block id, text or null (a word broken across lines: one entry
# per fragment), left, top, right, bottom (CSS px, viewport), visible, space before, space after], then the
# places of pictures and list markers (text null, negative block ids).
_WORDS_JS = r"""
const W = window.innerWidth, H = window.innerHeight, out = [], blocks = new Map();
const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|OPTION|TITLE|TEMPLATE)$/;
function blockOf(el) {
  let e = el;
  while (e && e !== document.body && getComputedStyle(e).display.startsWith('inline')) e = e.parentElement;
  if (!blocks.has(e)) blocks.set(e, blocks.size);
  return blocks.get(e);
}
function cased(word, how) {
  if (how === 'uppercase') return word.toUpperCase();
  if (how === 'lowercase') return word.toLowerCase();
  if (how === 'capitalize') return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
let node;
while ((node = walker.nextNode())) {
  const el = node.parentElement, text = node.data;
  if (!el || SKIP.test(el.tagName)) continue;
  if (!/\S/.test(text)) {  // white space between elements: a space after the word before
    if (out.length) out[out.length - 1][8] = true;
    continue;
  }
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
  const style = getComputedStyle(el);
  if (parseFloat(style.fontSize) < 1 || /^rgba\(.*, 0\)$/.test(style.color)) continue;
  const block = blockOf(el), re = /\S+/g;
  let m;
  while ((m = re.exec(text))) {
    const end = m.index + m[0].length;
    range.setStart(node, m.index);
    range.setEnd(node, end);
    const rects = Array.from(range.getClientRects()).filter(r => r.width >= 1 && r.height >= 1);
    const before = m.index === 0 ? /^\s/.test(text) : true, after = end < text.length;
    for (const r of rects) {
      if (r.right <= 0 || r.bottom <= 0 || r.left >= W || r.top >= H) continue;
      const x = Math.min(Math.max((r.left + r.right) / 2, 0), W - 1);
      const y = Math.min(Math.max((r.top + r.bottom) / 2, 0), H - 1);
      const hit = document.elementFromPoint(x, y);
      const visible = !!hit && (hit === el || el.contains(hit));
      out.push([block, rects.length === 1 ? cased(m[0], style.textTransform) : null,
                r.left, r.top, r.right, r.bottom, visible, before, after]);
    }
  }
}
// Text the DOM does not hold as text nodes, as ignore regions: pictures (logos, screenshots), form controls and
// list markers.
let region = -1;
function ignore(left, top, right, bottom) {
  if (right - left >= 4 && bottom - top >= 4 && right > 0 && bottom > 0 && left < W && top < H)
    out.push([region--, null, left, top, right, bottom, true, false, false]);
}
for (const el of document.querySelectorAll('img, svg, canvas, video, object, embed, input, select, textarea')) {
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
  const r = el.getBoundingClientRect();
  ignore(r.left, r.top, r.right, r.bottom);
}
for (const li of document.querySelectorAll('li')) {
  const style = getComputedStyle(li);
  if (style.display !== 'list-item' || style.listStyleType === 'none' || style.listStylePosition !== 'outside'
      || !li.checkVisibility({visibilityProperty: true})) continue;
  const r = li.getBoundingClientRect(), em = parseFloat(style.fontSize);
  const line = parseFloat(style.lineHeight) || 1.5 * em;
  ignore(r.left - 3 * em, r.top, r.left, r.top + line);
}
return out;
"""

# Injected styles: no transitions or animations (a screenshot must show the final state), a root font size,
# and optionally a dark theme (inverted page, media inverted back) and another font family for prose.
_BASE_CSS = ("*, *::before, *::after { transition: none !important; animation: none !important; "
             "caret-color: transparent !important; } html { font-size: %d%% !important; }")
_DARK_CSS = ("html { filter: invert(1) hue-rotate(180deg) !important; background: #fff !important; } "
             "img, video, picture, svg, canvas { filter: invert(1) hue-rotate(180deg) !important; }")
_FONT_CSS = "body, p, li, td, th, h1, h2, h3, h4, dd, dt, a, span { font-family: '%s' !important; }"
_STYLE_JS = ("let s = document.getElementById('ppocr-style'); if (!s) { s = document.createElement('style'); "
             "s.id = 'ppocr-style'; document.documentElement.appendChild(s); } s.textContent = arguments[0]; "
             "window.scrollTo(0, arguments[1] * Math.max(0, document.documentElement.scrollHeight - innerHeight));")


def find_html(sources: Iterable[str]) -> List[str]:
    """Every HTML file among ``sources`` (files, or folders searched recursively), sorted, with links resolved
    (a page's relative style sheets and images are found beside the real file)."""
    return sorted({os.path.realpath(f) for f in find_sources(sources, HTML_EXTENSIONS)})


def browser_paths() -> Tuple[str, str]:
    """(Chromium, chromedriver) executables; FileNotFoundError with the install hint when either is missing."""
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise FileNotFoundError(INSTALL_HINT)
    return browser, driver


_families: Dict[str, str] = {}


def font_families(fonts: Sequence) -> List[str]:
    """The family names of ``fonts`` (FontInfo), as a style sheet names them."""
    from PIL import ImageFont

    for font in fonts:
        if font.path not in _families:
            try:
                _families[font.path] = ImageFont.truetype(font.path, 12).getname()[0] or ""
            except OSError:
                _families[font.path] = ""
    return sorted({_families[f.path] for f in fonts} - {""})


class Browser:
    """One headless Chromium, started on first use and quit when the process ends."""

    def __init__(self):
        self._driver = None

    def driver(self):
        if self._driver is None:
            try:
                from selenium import webdriver
                from selenium.webdriver.chrome.service import Service
            except ImportError as e:
                raise FileNotFoundError(INSTALL_HINT) from e
            from multiprocessing.util import Finalize

            browser, driver = browser_paths()
            options = webdriver.ChromeOptions()
            options.binary_location = browser
            for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
                        "--host-resolver-rules=MAP * ~NOTFOUND", "--allow-file-access-from-files"):
                options.add_argument(arg)
            self._driver = webdriver.Chrome(options=options, service=Service(driver))
            self._driver.set_page_load_timeout(LOAD_TIMEOUT_S)
            Finalize(self, self.quit, exitpriority=10)  # also at exit of a multiprocessing worker
        return self._driver

    def quit(self) -> None:
        if self._driver is not None:
            self._driver.quit()
            self._driver = None


BROWSER = Browser()


@dataclass
class View:
    """How one screenshot is taken: viewport (CSS px), device pixel ratio, styles, scroll position (0-1)."""

    width: int
    height: int
    pixel_ratio: float
    css: str
    dark: bool
    scroll: float


def sample_view(rng: np.random.Generator, max_side: int, families: Sequence[str]) -> View:
    ratio = float(PIXEL_RATIOS[int(rng.integers(len(PIXEL_RATIOS)))])
    width = int(min(rng.integers(VIEWPORT_WIDTH[0], VIEWPORT_WIDTH[1] + 1), max_side / ratio))
    height = int(min(rng.integers(VIEWPORT_HEIGHT[0], VIEWPORT_HEIGHT[1] + 1), max_side / ratio))
    dark = rng.random() < DARK_SHARE
    css = _BASE_CSS % int(rng.integers(ROOT_FONT_SIZE[0], ROOT_FONT_SIZE[1] + 1))
    if dark:
        css += _DARK_CSS
    if families and rng.random() < FONT_SWAP_SHARE:
        css += _FONT_CSS % families[int(rng.integers(len(families)))]
    return View(width, height, ratio, css, dark, float(rng.random() ** 2))  # the top of pages more often


def capture(path: str, view: View) -> Tuple[np.ndarray, list]:
    """(RGB screenshot, words as collected by _WORDS_JS) of the page at ``path`` seen through ``view``;
    TimeoutError when the page does not load in time."""
    from PIL import Image
    from selenium.common.exceptions import TimeoutException

    driver = BROWSER.driver()
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": view.width, "height": view.height, "deviceScaleFactor": view.pixel_ratio, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark" if view.dark else "light"}]})
    try:
        driver.get(Path(path).as_uri())
    except TimeoutException as e:
        driver.get("about:blank")
        raise TimeoutError(path) from e
    driver.execute_script(_STYLE_JS, view.css, view.scroll)
    words = driver.execute_script(_WORDS_JS)
    png = driver.get_screenshot_as_png()
    return np.array(Image.open(io.BytesIO(png)).convert("RGB")), words


def ink_box(gray: np.ndarray, box: Sequence[float]) -> Optional[Tuple[int, int, int, int]]:
    """(x0, y0, x1, y1), inclusive px: the part of ``box`` that differs from its own border colour (the
    background), or None when nothing there does."""
    h, w = gray.shape
    x0, y0 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x1, y1 = min(int(np.ceil(box[2])), w) - 1, min(int(np.ceil(box[3])), h) - 1
    if x1 <= x0 or y1 <= y0:
        return None
    region = gray[y0:y1 + 1, x0:x1 + 1].astype(np.int16)
    border = np.concatenate([region[0], region[-1], region[:, 0], region[:, -1]])
    ink = np.abs(region - int(np.median(border))) > 40
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]), y0 + int(rows[-1])


def _joins(a: list, b: list) -> bool:
    """True when word ``b`` continues the line of word ``a`` (entries of _WORDS_JS)."""
    if a[0] != b[0] or a[1] is None or b[1] is None or not (a[6] and b[6]):
        return False
    ha, hb = a[5] - a[3], b[5] - b[3]
    if max(ha, hb) > 1.6 * min(ha, hb) or abs((a[3] + a[5]) - (b[3] + b[5])) / 2 > 0.3 * max(ha, hb):
        return False
    return -0.2 * ha < b[2] - a[4] < LINE_GAP * ha


def group_lines(words: list) -> List[list]:
    """Consecutive words of one line, in document order (covered words end a line and are left out)."""
    lines: List[list] = []
    for word in words:
        if lines and lines[-1] and _joins(lines[-1][-1], word):
            lines[-1].append(word)
        elif word[6]:
            lines.append([word])
        else:
            lines.append([])  # a covered word: nothing joins across it
    return [line for line in lines if line]


def _quad(box: Sequence[float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1 + 1, y0], [x1 + 1, y1 + 1], [x0, y1 + 1]], np.float32)


def label_lines(img: np.ndarray, words: list, ratio: float, charset: str) -> list:
    """The :class:`TextBox` of each line of ``words`` in the screenshot ``img`` (``ratio`` px per CSS px)."""
    gray = img.min(axis=2)
    h, w = gray.shape
    boxes = []
    for line in group_lines(words):
        inked = []
        for word in line:
            box = ink_box(gray, [v * ratio for v in word[2:6]])
            if box is not None:
                inked.append((word, box))
        if not inked:
            continue
        x0, y0 = min(b[0] for _, b in inked), min(b[1] for _, b in inked)
        x1, y1 = max(b[2] for _, b in inked), max(b[3] for _, b in inked)
        text = ""
        for i, (word, _) in enumerate(inked):
            if word[1] is not None:
                before = inked[i - 1][0] if i else None
                spaced = i > 0 and (word[7] or before[8] or word[2] - before[4] > 0.25 * (word[5] - word[3]))
                text += (" " if spaced else "") + normalise_text(word[1], charset)
        cut = any(word[2] * ratio < 0 or word[3] * ratio < 0 or word[4] * ratio > w or word[5] * ratio > h
                  for word, _ in inked)
        ignore = (cut or any(word[1] is None for word, _ in inked) or y1 + 1 - y0 < MIN_TEXT_PX or not text
                  or any(c not in charset for c in text))
        words_of_line = [] if ignore else [(normalise_text(word[1], charset), _quad(b)) for word, b in inked]
        boxes.append(TextBox(text, _quad((x0, y0, x1, y1)), ignore, words_of_line))
    return boxes


def _draw_page(rng: np.random.Generator, path: str, cfg, charset: str, families: Sequence[str]):
    """``(RGB screenshot, boxes)`` of one view of the page at ``path``, or the reason it is left out."""
    view = sample_view(rng, cfg.pdf_max_side, families)
    try:
        img, words = capture(path, view)
    except TimeoutError:
        return SKIP_REASONS[0]
    boxes = label_lines(img, words, view.pixel_ratio, charset)
    if sum(not b.ignore for b in boxes) < MIN_LINES:
        return SKIP_REASONS[1]
    return img, boxes


def render_html_page(rng: np.random.Generator, files: Sequence[str], cfg, charset: str,
                     families: Sequence[str] = ()):
    """A :class:`~ppocr.synth.page.Page` (one box per line) from a random usable view of a random
    page of ``files``; a share ``cfg.html_photo`` of them photographed (warped and degraded like the
    generated kinds), the rest kept as crisp screenshots. ``families``: font families that may replace the
    page's own."""
    img, boxes = draw_usable(rng, files, lambda path: _draw_page(rng, path, cfg, charset, families),
                             "--src HTML files")
    return finish_page(rng, img, boxes, cfg, photographed=rng.random() < cfg.html_photo)
