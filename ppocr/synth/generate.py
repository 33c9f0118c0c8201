"""Dataset generation driver shared by ``tools/gen_data.py`` and tests.

Sample ``i`` is rendered from ``numpy.random.default_rng([seed, i])`` only, and samples
are written in index order, so the output bytes do not depend on the number of workers.
"""
from __future__ import annotations

import dataclasses
import json
import multiprocessing as mp
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

from .corpus import (ACCENTED_LETTERS, DEFAULT_CHARSET, SYSTEM_WORD_LIST, accent_variants, builtin_word_count,
                     system_words)
from .degrade import encode_jpeg
from .fonts import BUNDLED_FONT_DIR, FontInfo, discover_fonts
from .hermetic import HERMETIC_ENV, hermetic
from .html_pages import browser_paths, find_html
from .idcards import render_idcard_crop
from .page import PageConfig
from .page_crops import render_page_crop
from .pages import PAGE_KINDS, render_page
from .pdf_pages import find_pdfs, list_pages
from .real_pages import take_skipped
from .rec_crops import CropConfig, render_crop
from .scans import render_scan_crop
from .seeds import sample_rng
from .signs import render_sign_crop
from .thermal import render_thermal_crop
from .writers import FolderWriter, LmdbWriter

MODES = ("det", "rec")
LEVELS = ("line", "word")
REAL_KINDS = ("pdf", "html")  # kinds made from the --src files
# rec only: single rendered crops (rec_crops.py, scans.py, signs.py, thermal.py, idcards.py)
CROP_KINDS = ("line", "scan", "sign", "thermal", "idcard")


def parse_kinds(text: str) -> Dict[str, float]:
    """``"document:2,scene"`` -> ``{"document": 2.0, "scene": 1.0}`` (ValueError on a bad weight)."""
    kinds: Dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, weight = part.partition(":")
        try:
            kinds[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise ValueError(f"--kinds: weight of {name!r} must be a number, got {weight!r}") from None
    if not kinds:
        raise ValueError("--kinds: give at least one kind")
    return kinds


@dataclass
class GenConfig:
    """Everything that determines a generated dataset."""

    mode: str
    out_dir: str
    num: int
    seed: int = 0
    font_dir: Optional[str] = None
    level: str = "line"
    lmdb: bool = False
    workers: int = 1
    max_len: int = 25
    charset: str = DEFAULT_CHARSET
    # Page kinds with weights (see KINDS); for rec, "line" is the single-line crop renderer and the page
    # kinds give crops cut from such pages.
    kinds: Optional[Dict[str, float]] = None
    # Chance of a Latin accent per sampled word: in det the letters join the charset (labels need no
    # dictionary), in rec the charset must hold them (``--dict``, e.g. ppocr/utils/latin_dict.txt).
    accents: float = 0.0
    text_file: Optional[str] = None  # rec only: "line" crops draw their text from its lines
    src: Sequence[str] = ()  # the "pdf" and "html" kinds: PDF and HTML files or folders
    pdf_dpi: Tuple[float, float] = (72.0, 200.0)  # the "pdf" kind: resolution range of the rendered pages

    def kind_weights(self) -> Dict[str, float]:
        return dict(self.kinds) if self.kinds else {"document" if self.mode == "det" else "line": 1.0}

    def validate(self) -> None:
        """Raise ValueError with a user-facing message for inconsistent settings."""
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of: {', '.join(MODES)}")
        if self.num <= 0:
            raise ValueError(f"--num must be a positive integer, got {self.num}")
        if self.level not in LEVELS:
            raise ValueError(f"--level must be one of {', '.join(LEVELS)}, got {self.level!r}")
        if self.workers <= 0:
            raise ValueError(f"--workers must be >= 1, got {self.workers}")
        if self.max_len <= 0:
            raise ValueError(f"--max_len must be >= 1, got {self.max_len}")
        if self.lmdb and self.mode != "rec":
            raise ValueError("--lmdb is only supported in rec mode")
        if not 0.0 <= self.accents <= 1.0:
            raise ValueError(f"--accents must be between 0 and 1, got {self.accents}")
        if self.accents and self.mode == "rec" and not accent_variants(self.charset):
            raise ValueError("--accents in rec mode needs a dictionary with accented letters: add --dict "
                             "ppocr/utils/latin_dict.txt (or your own)")
        if self.seed < 0:
            raise ValueError(f"--seed must be >= 0, got {self.seed}")
        if self.text_file is not None:
            if self.mode != "rec":
                raise ValueError("--text_file is only supported in rec mode")
            if not read_text_lines(self.text_file):
                raise ValueError(f"--text_file: no text lines in {self.text_file}")
        real = [k for k in REAL_KINDS if k in self.kind_weights()]
        if real and not self.src:
            raise ValueError(f"the {real[0]} kind needs {real[0].upper()} files: give --src FILE_OR_DIR ...")
        if self.src and not real:
            raise ValueError("--src is read by the pdf and html kinds only: add pdf or html to --kinds")
        if not 0 < self.pdf_dpi[0] <= self.pdf_dpi[1]:
            raise ValueError(f"--dpi must be MIN,MAX with 0 < MIN <= MAX, got {self.pdf_dpi}")
        allowed = tuple(PAGE_KINDS) + (CROP_KINDS if self.mode == "rec" else ())
        for kind, weight in self.kind_weights().items():
            if kind not in allowed:
                raise ValueError(f"--kinds: unknown kind {kind!r} for {self.mode}; choose from {', '.join(allowed)}")
            if weight <= 0:
                raise ValueError(f"--kinds: the weight of {kind!r} must be positive, got {weight}")


@dataclass
class GenStats:
    """Summary of a finished run."""

    count: int
    boxes: int
    ignored: int
    chars: int
    seconds: float
    label_path: Path
    extra: List[str] = field(default_factory=list)


def make_det_sample(fonts: Sequence[FontInfo], seed: int, index: int, level: str = "line",
                    charset: str = DEFAULT_CHARSET,
                    config: Optional[PageConfig] = None) -> Tuple[bytes, str, int, int]:
    """Render det sample ``index`` -> (jpeg bytes, JSON label, #boxes, #ignored)."""
    page = render_page(sample_rng(seed, index), fonts, level, config, charset)
    labels = page.labels()
    ignored = sum(1 for b in page.boxes if b.ignore)
    return (encode_jpeg(page.image, page.jpeg_quality), json.dumps(labels, ensure_ascii=False),
            len(labels), ignored)


def make_rec_sample(fonts: Sequence[FontInfo], seed: int, index: int, max_len: int = 25,
                    charset: str = DEFAULT_CHARSET, config: Optional[CropConfig] = None,
                    kinds: Optional[Dict[str, float]] = None, lines: Optional[Sequence[str]] = None,
                    pages: Optional[PageConfig] = None) -> Tuple[bytes, str, int, int]:
    """Render rec sample ``index`` -> (jpeg bytes, text, 1, 0): a single rendered line ("line"), a
    two-level scanned line ("scan"), a photographed sign word ("sign"), a thermal-printed receipt line
    ("thermal"), a line of an identity document ("idcard"), or a line cut from a page of one of the page
    ``kinds`` (the kind is drawn per page group). ``lines``: texts that "line" crops draw from instead of
    the text sampler. ``pages``: the settings of the page kinds (their kinds are replaced)."""
    rng = sample_rng(seed, index)
    kinds = kinds or {"line": 1.0}
    page_kinds = {k: v for k, v in kinds.items() if k not in CROP_KINDS}
    crop_weight = sum(kinds.get(k, 0.0) for k in CROP_KINDS)
    if page_kinds and rng.random() >= crop_weight / sum(kinds.values()):
        page_config = dataclasses.replace(pages or PageConfig(), kinds=page_kinds)
        cut = render_page_crop(rng, fonts, seed, index, page_config, charset, max_len)
        if cut is not None:
            return encode_jpeg(cut[0], int(rng.integers(70, 96))), cut[1], 1, 0
    # A kind draws from rng only when the recipe names it, so earlier recipes stay byte-identical.
    for kind, render in (("sign", render_sign_crop), ("thermal", render_thermal_crop),
                         ("idcard", render_idcard_crop)):
        if kind in kinds and rng.random() < kinds[kind] / crop_weight:
            crop = render(rng, fonts, max_len, charset)
            return encode_jpeg(crop.image, crop.jpeg_quality), crop.text, 1, 0
        crop_weight -= kinds.get(kind, 0.0)
    if "scan" in kinds and (crop_weight == 0 or rng.random() < kinds["scan"] / crop_weight):
        crop = render_scan_crop(rng, fonts, max_len, charset)
        return encode_jpeg(crop.image, crop.jpeg_quality), crop.text, 1, 0
    config = config or CropConfig(max_len=max_len, accents=pages.accents if pages else 0.0)
    crop = render_crop(rng, fonts, config, charset, lines)
    return encode_jpeg(crop.image, crop.jpeg_quality), crop.text, 1, 0


# Worker-process state, set once by _init_worker so fonts are loaded once per process.
_WORKER: dict = {}


def _init_worker(cfg: GenConfig, pdf_pages: Sequence[Tuple[str, int]] = (), html_files: Sequence[str] = (),
                 fonts: Optional[Sequence[FontInfo]] = None) -> None:
    """Load what every sample needs once per process (``fonts``: already loaded, in this process)."""
    _WORKER.update(cfg=cfg, fonts=fonts or discover_fonts(cfg.font_dir),
                   lines=read_text_lines(cfg.text_file) if cfg.text_file else None,
                   pages=PageConfig(kinds=cfg.kind_weights(), accents=cfg.accents, pdf_pages=tuple(pdf_pages),
                                    pdf_dpi=cfg.pdf_dpi, html_files=tuple(html_files)))


def read_text_lines(path: str) -> List[str]:
    """The non-empty lines of a UTF-8 text file, white space collapsed (raises ValueError if unreadable)."""
    try:
        with open(path, encoding="utf-8") as f:
            return [" ".join(line.split()) for line in f if line.strip()]
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"--text_file: cannot read {path}: {e}") from e


def _work(index: int) -> Tuple[int, bytes, str, int, int, Counter]:
    cfg: GenConfig = _WORKER["cfg"]
    fonts = _WORKER["fonts"]
    if cfg.mode == "det":
        charset = cfg.charset + (ACCENTED_LETTERS if cfg.accents else "")
        out = make_det_sample(fonts, cfg.seed, index, cfg.level, charset, _WORKER["pages"])
    else:
        out = make_rec_sample(fonts, cfg.seed, index, cfg.max_len, cfg.charset, kinds=cfg.kind_weights(),
                              lines=_WORKER["lines"], pages=_WORKER["pages"])
    return (index, *out, take_skipped())


def check_writable(out_dir: Union[str, os.PathLike]) -> None:
    """Create ``out_dir`` and make sure files can be written there (raises OSError)."""
    p = Path(out_dir)
    p.mkdir(parents=True, exist_ok=True)
    probe = p / ".gen_data_write_test"
    with open(probe, "wb") as f:
        f.write(b"ok")
    probe.unlink()


def generate(cfg: GenConfig, progress: Optional[bool] = None,
             fonts: Optional[Sequence[FontInfo]] = None) -> GenStats:
    """Generate ``cfg.num`` samples into ``cfg.out_dir``.

    ``progress``: show a tqdm bar on stderr (default: only when stderr is a TTY).
    ``fonts``: the fonts of ``cfg.font_dir`` when the caller has already loaded them.
    Raises ValueError for bad settings, FontError when no font is usable and OSError when
    the output directory cannot be written.
    """
    cfg.validate()
    t0 = time.perf_counter()
    fonts = fonts or discover_fonts(cfg.font_dir)  # fail early, in the parent, with a clear message
    check_writable(cfg.out_dir)
    if progress is None:
        progress = sys.stderr.isatty()
    extra: List[str] = []
    pdf_pages: List[Tuple[str, int]] = []
    html_files: List[str] = []
    skipped: Counter = Counter()
    take_skipped()  # counts of an earlier run in this process
    if "pdf" in cfg.kind_weights():
        files = find_pdfs(cfg.src)
        pdf_pages, unreadable = list_pages(files)
        if not pdf_pages:
            raise ValueError(f"no readable PDF pages under {', '.join(cfg.src)} ({len(files)} PDF files)")
        extra.append(f"pdf: {len(pdf_pages)} pages in {len(files) - len(unreadable)} PDFs"
                     + (f" ({len(unreadable)} unreadable files skipped)" if unreadable else ""))
    if "html" in cfg.kind_weights():
        html_files = find_html(cfg.src)
        if not html_files:
            raise ValueError(f"no HTML files (.html, .htm, .xhtml) under {', '.join(cfg.src)}")
        browser_paths()  # fail here, once, when Chromium is missing
        extra.append(f"html: {len(html_files)} pages")

    writer = LmdbWriter(cfg.out_dir) if cfg.lmdb else FolderWriter(cfg.out_dir, cfg.num)
    boxes = ignored = chars = 0
    pool = bar = None
    try:
        with writer:
            if cfg.workers > 1 and cfg.num > 1:
                # Workers are forked before the progress bar starts its monitor thread.
                ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
                pool = ctx.Pool(cfg.workers, initializer=_init_worker, initargs=(cfg, pdf_pages, html_files))
                chunk = max(1, min(32, cfg.num // (cfg.workers * 8)))
                results = pool.imap(_work, range(cfg.num), chunksize=chunk)  # ordered
            else:
                _init_worker(cfg, pdf_pages, html_files, fonts)
                results = (_work(i) for i in range(cfg.num))
            if progress:
                from tqdm import tqdm
                bar = tqdm(total=cfg.num, unit="img", desc=f"gen {cfg.mode}", file=sys.stderr,
                           dynamic_ncols=True)
            for index, data, label, nbox, nign, left_out in results:
                writer.write(index, data, label)
                skipped.update(left_out)
                boxes += nbox
                ignored += nign
                chars += len(label) if cfg.mode == "rec" else 0
                if bar is not None:
                    bar.update(1)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
        if bar is not None:
            bar.close()
        _WORKER.clear()
    if cfg.src:
        extra.append("pages drawn and left out: " + (", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
                                                     or "none"))
    return GenStats(writer.count, boxes, ignored, chars, time.perf_counter() - t0,
                    writer.label_path, extra)


def resources_line(fonts: Sequence[FontInfo], font_dir: Optional[str]) -> str:
    """What the generator draws with: usable fonts and words, plus how to get more when it has only the
    bundled ones (a machine with few fonts makes data, and so models, that know few typefaces)."""
    bundled = sum(Path(f.path).is_relative_to(BUNDLED_FONT_DIR) for f in fonts)
    system = len(system_words())
    line = (f"fonts: {len(fonts)} usable ({bundled} bundled); "
            f"words: {builtin_word_count()} built-in + {system} from {SYSTEM_WORD_LIST}")
    if hermetic():
        line += f" ({HERMETIC_ENV} is set: system fonts and words are not used)"
    elif (font_dir is None and bundled == len(fonts)) or not system:
        line += ("\nonly the bundled fonts or words: install more with `make fonts` "
                 "(Debian font packages and the English word list) for more varied data")
    return line


def summary_line(cfg: GenConfig, stats: GenStats) -> str:
    """The one-line report printed at the end of a run."""
    if cfg.mode == "det":
        what = f"{stats.boxes} {cfg.level} boxes"
        if stats.ignored:
            what += f", {stats.ignored} marked ###"
    else:
        what = f"{stats.chars} chars"
    line = (f"wrote {stats.count} {cfg.mode} images ({what}) to {stats.label_path} "
            f"in {stats.seconds:.1f} s ({stats.count / max(stats.seconds, 1e-9):.1f}/s)")
    return "; ".join([line] + stats.extra)
