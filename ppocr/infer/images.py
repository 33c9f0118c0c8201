"""Finding and reading input images for the predictors."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from ppocr.data.imaug.operators import decode_bytes

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif")
PDF_EXTENSION = ".pdf"
PDF_RENDER_SCALE = 2.0  # 144 dpi: 10-point text is ~20 px high, comfortable for the detector
PDF_INSTALL_HINT = "pip install -r requirements-pdf.txt"


@dataclass
class Page:
    """One image to run on: an image file, or one page of a PDF (``page`` counts from 1)."""

    path: str
    image: np.ndarray
    page: Optional[int] = None
    stem: Optional[str] = None  # the output name of the file (see output_stems); default its file name

    @property
    def name(self) -> str:
        """File-name stem for pictures: ``doc`` or ``doc_page_3``."""
        stem = self.stem or os.path.splitext(os.path.basename(self.path))[0]
        return stem if self.page is None else f"{stem}_page_{self.page}"

    @property
    def label(self) -> str:
        """What is printed for it: the path, with ``_page_N`` for PDF pages."""
        return self.path if self.page is None else f"{self.path}_page_{self.page}"


def list_images(image_dir: str) -> List[str]:
    """A file, or every image (and PDF) under a folder (recursively, sorted)."""
    if os.path.isfile(image_dir):
        return [image_dir]
    if not os.path.isdir(image_dir):
        raise FileNotFoundError(f"--image_dir not found: {image_dir}")
    found = []
    for root, _, files in os.walk(image_dir):
        found += [os.path.join(root, f) for f in files if f.lower().endswith(IMAGE_EXTENSIONS + (PDF_EXTENSION,))]
    if not found:
        raise FileNotFoundError(f"no images ({', '.join(IMAGE_EXTENSIONS)}) or PDFs under {image_dir}")
    return sorted(found)


def output_stems(paths: Sequence[str]) -> Dict[str, str]:
    """A distinct name per input file for what is written about it (pictures, PDF page images): its file name
    without extension, or, for files whose names clash (``a/x.jpg`` and ``b/x.jpg``, ``x.jpg`` and
    ``x.png``), its path below their common folder with separators and dots as underscores (``a_x_jpg``)."""
    stems = {p: os.path.splitext(os.path.basename(p))[0] for p in paths}
    uses = Counter(stems.values())
    clashing = [p for p in paths if uses[stems[p]] > 1]
    if clashing:
        root = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in clashing])
        for p in clashing:
            stems[p] = os.path.relpath(os.path.abspath(p), root).replace(os.sep, "_").replace(".", "_")
    taken: Dict[str, int] = {}
    for p in paths:  # a name made above may still equal another file's own name: number the later ones
        n = taken[stems[p]] = taken.get(stems[p], 0) + 1
        if n > 1:
            stems[p] = f"{stems[p]}_{n}"
    return stems


def read_image(path: str) -> np.ndarray:
    """BGR uint8 HWC image; ValueError with the path if it cannot be read."""
    if path.lower().endswith(".gif"):
        return _read_gif(path)
    with open(path, "rb") as f:
        return decode_bytes(f.read(), path)


def _read_gif(path: str) -> np.ndarray:
    """OpenCV cannot decode GIF: take the first frame with Pillow."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.seek(0)
            rgb = np.asarray(im.convert("RGB"))
    except Exception as e:
        raise ValueError(f"cannot decode image {path}: {e}") from None
    return np.ascontiguousarray(rgb[:, :, ::-1])


def read_pages(path: str, stem: Optional[str] = None) -> List[Page]:
    """The image in ``path``, or every page of a PDF rendered at 144 dpi; ValueError naming the file.
    ``stem``: the file's output name (:func:`output_stems`)."""
    if not path.lower().endswith(PDF_EXTENSION):
        return [Page(path, read_image(path), stem=stem)]
    return [Page(path, image, number, stem) for number, image in enumerate(render_pdf(path, path), start=1)]


def render_pdf(source: Union[str, bytes], name: str, max_pages: Optional[int] = None) -> List[np.ndarray]:
    """The pages of a PDF (a path or its bytes) as BGR images at 144 dpi; ValueError naming ``name``, also
    for a PDF of more than ``max_pages`` pages."""
    try:
        import pypdfium2
    except ImportError:
        raise ValueError(f"cannot read {name}: PDF input needs pypdfium2 ({PDF_INSTALL_HINT})") from None
    try:
        pdf = pypdfium2.PdfDocument(source)
    except Exception as e:  # pypdfium2 raises its own PdfiumError for damaged files
        raise ValueError(f"cannot read PDF {name}: {e}") from None
    try:
        if max_pages is not None and len(pdf) > max_pages:
            raise ValueError(f"{name} has {len(pdf)} pages, more than the limit of {max_pages}")
        pages = []
        for page in pdf:
            rgb = np.asarray(page.render(scale=PDF_RENDER_SCALE).to_pil().convert("RGB"))
            pages.append(np.ascontiguousarray(rgb[:, :, ::-1]))
        return pages
    finally:
        pdf.close()


def read_images(paths: Sequence[str], failed: List[str], desc: str = "images") -> Iterator[Page]:
    """Yield every page of every file; unreadable files are logged, appended to ``failed`` and skipped.
    A progress bar is shown for many files when stderr is a terminal."""
    import logging

    from tqdm import tqdm

    logger = logging.getLogger("ppocr")
    stems = output_stems(paths)
    for path in tqdm(paths, desc=desc, disable=len(paths) < 5 or not os.isatty(2), leave=False):
        try:
            pages = read_pages(path, stems[path])
        except (OSError, ValueError) as e:
            logger.error(f"skipping {path}: {e}")
            failed.append(path)
            continue
        yield from pages


def read_crops(paths: Sequence[str], failed: List[str], desc: str) -> Tuple[List[str], List[np.ndarray]]:
    """``(labels, images)`` of every page of ``paths``, each taken as one text crop (predict_rec, predict_cls);
    unreadable files go to ``failed`` (:func:`read_images`)."""
    pages = list(read_images(list(paths), failed, desc))
    return [p.label for p in pages], [p.image for p in pages]


def log_benchmark(times: List[dict]) -> None:
    """Mean per-image time of each stage (the callers run one warm-up image first, untimed)."""
    import logging

    if times:
        logging.getLogger("ppocr").info(
            f"benchmark mean per image over {len(times)} images after a warm-up: "
            + ", ".join(f"{k} {1000 * sum(t[k] for t in times) / len(times):.1f} ms" for k in times[0])
            + f", total {1000 * sum(sum(t.values()) for t in times) / len(times):.1f} ms")
