"""Request bodies -> images, with one 4xx error naming what is wrong (:class:`BadInput`)."""
from __future__ import annotations

import base64
import binascii
from typing import Any, List, Optional

import numpy as np

from ppocr.data.imaug.operators import decode_bytes, declared_size

PDF_MAGIC = b"%PDF-"


class BadInput(Exception):
    """A request the server refuses: ``status`` (400, 413, 415, 422) and a message naming the problem."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def decode_image(raw: bytes, name: str, max_pixels: int) -> np.ndarray:
    """Encoded image bytes -> BGR array; BadInput for a non-image, a damaged image or one over ``max_pixels``
    (checked on the header, before any pixel is decoded)."""
    if not raw:
        raise BadInput(400, f"{name}: empty image")
    buf = np.frombuffer(raw, dtype=np.uint8)
    try:
        size, _ = declared_size(buf, name)
    except ValueError as e:  # a header declaring a decompression bomb
        raise BadInput(413, f"{e} (--max_image_pixels is {max_pixels})") from None
    if size is not None and size[0] * size[1] > max_pixels:
        raise BadInput(413, f"{name}: {size[0]}x{size[1]} pixels is over the limit of {max_pixels} pixels "
                            f"(--max_image_pixels)")
    try:
        return decode_bytes(buf, name)
    except ValueError as e:
        raise BadInput(400, str(e).replace("cannot decode image", "cannot decode")) from None


def images_from_json(body: Any, max_images: int, max_pixels: int) -> List[np.ndarray]:
    """PaddleOCR hubserving's request ``{"images": ["<base64>", ...]}`` -> images."""
    if not isinstance(body, dict) or "images" not in body:
        keys = sorted(body) if isinstance(body, dict) else type(body).__name__
        raise BadInput(422, f'the body must be a JSON object with an "images" list of base64 strings; got {keys}')
    items = body["images"]
    if not isinstance(items, list) or not items:
        raise BadInput(422, '"images" must be a non-empty list of base64-encoded images')
    if len(items) > max_images:
        raise BadInput(413, f'"images" holds {len(items)} images, more than the limit of {max_images}')
    images = []
    for i, item in enumerate(items):
        name = f"images[{i}]"
        if not isinstance(item, str):
            raise BadInput(422, f"{name} must be a base64 string, got {type(item).__name__}")
        images.append(decode_image(b64decode(item, name), name, max_pixels))
    return images


def b64decode(text: str, name: str) -> bytes:
    """Strict base64 (a ``data:image/...;base64,`` prefix is allowed); BadInput otherwise."""
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadInput(400, f"{name}: not valid base64") from None


def pages_from_upload(raw: bytes, filename: Optional[str], max_pixels: int, max_pages: int) -> List[np.ndarray]:
    """An uploaded image or PDF -> its pages."""
    from ppocr.infer.images import render_pdf

    name = filename or "upload"
    if raw.startswith(PDF_MAGIC):
        try:
            return render_pdf(raw, name, max_pages)
        except ValueError as e:
            raise BadInput(400, str(e)) from None
    return [decode_image(raw, name, max_pixels)]
