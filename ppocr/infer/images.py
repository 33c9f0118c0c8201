"""Finding and reading input images for the predictors."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence

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

    @property
    def name(self) -> str:
        """File-name stem for pictures: ``doc`` or ``doc_page_3``."""
        stem = os.path.splitext(os.path.basename(self.path))[0]
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


def read_pages(path: str) -> List[Page]:
    """The image in ``path``, or every page of a PDF rendered at 144 dpi; ValueError naming the file."""
    if not path.lower().endswith(PDF_EXTENSION):
        return [Page(path, read_image(path))]
    try:
        import pypdfium2
    except ImportError:
        raise ValueError(f"cannot read {path}: PDF input needs pypdfium2 ({PDF_INSTALL_HINT})") from None
    try:
        pdf = pypdfium2.PdfDocument(path)
    except Exception as e:  # pypdfium2 raises its own PdfiumError for damaged files
        raise ValueError(f"cannot read PDF {path}: {e}") from None
    try:
        pages = []
        for number, page in enumerate(pdf, start=1):
            rgb = np.asarray(page.render(scale=PDF_RENDER_SCALE).to_pil().convert("RGB"))
            pages.append(Page(path, np.ascontiguousarray(rgb[:, :, ::-1]), number))
        return pages
    finally:
        pdf.close()


def read_images(paths: Sequence[str], failed: List[str], desc: str = "images") -> Iterator[Page]:
    """Yield every page of every file; unreadable files are logged, appended to ``failed`` and skipped.
    A progress bar is shown for many files when stderr is a terminal."""
    import logging

    from tqdm import tqdm

    logger = logging.getLogger("ppocr")
    for path in tqdm(paths, desc=desc, disable=len(paths) < 5 or not os.isatty(2), leave=False):
        try:
            pages = read_pages(path)
        except (OSError, ValueError) as e:
            logger.error(f"skipping {path}: {e}")
            failed.append(path)
            continue
        yield from pages


def log_benchmark(times: List[dict]) -> None:
    """Mean per-image time of each stage (the callers run one warm-up image first, untimed)."""
    import logging

    if times:
        logging.getLogger("ppocr").info(
            f"benchmark mean per image over {len(times)} images after a warm-up: "
            + ", ".join(f"{k} {1000 * sum(t[k] for t in times) / len(times):.1f} ms" for k in times[0])
            + f", total {1000 * sum(sum(t.values()) for t in times) / len(times):.1f} ms")
