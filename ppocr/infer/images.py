"""Finding and reading input images for the predictors."""
from __future__ import annotations

import os
from typing import List

import numpy as np

from ppocr.data.imaug.operators import decode_bytes

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif")


def list_images(image_dir: str) -> List[str]:
    """A file, or every image under a folder (recursively, sorted)."""
    if os.path.isfile(image_dir):
        return [image_dir]
    if not os.path.isdir(image_dir):
        raise FileNotFoundError(f"--image_dir not found: {image_dir}")
    found = []
    for root, _, files in os.walk(image_dir):
        found += [os.path.join(root, f) for f in files if f.lower().endswith(IMAGE_EXTENSIONS)]
    if not found:
        raise FileNotFoundError(f"no images ({', '.join(IMAGE_EXTENSIONS)}) under {image_dir}")
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


def read_images(paths: List[str], failed: List[str], desc: str = "images"):
    """Yield ``(path, image)``; unreadable files are logged, appended to ``failed`` and skipped.
    A progress bar is shown for many images when stderr is a terminal."""
    import logging
    import os

    from tqdm import tqdm

    logger = logging.getLogger("ppocr")
    for path in tqdm(paths, desc=desc, disable=len(paths) < 5 or not os.isatty(2), leave=False):
        try:
            img = read_image(path)
        except (OSError, ValueError) as e:
            logger.error(f"skipping {path}: {e}")
            failed.append(path)
            continue
        yield path, img


def log_benchmark(times: List[dict]) -> None:
    """Mean per-image time of each stage, leaving out the first image (oneDNN warm-up)."""
    import logging

    warm = times[1:] or times
    if warm:
        logging.getLogger("ppocr").info(
            f"benchmark per image over {len(warm)} images (first left out as warm-up): "
            + ", ".join(f"{k} {1000 * sum(t[k] for t in warm) / len(warm):.1f} ms" for k in warm[0])
            + f", total {1000 * sum(sum(t.values()) for t in warm) / len(warm):.1f} ms")
