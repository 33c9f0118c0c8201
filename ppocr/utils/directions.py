"""Text directions as the direction classifier names them.

A label is the angle, in degrees counter-clockwise, by which the text in a crop is turned: ``"0"`` upright,
``"180"`` upside down, ``"90"`` reading bottom-to-top, ``"270"`` reading top-to-bottom. Turning a crop by
``-label`` makes it upright. PaddleOCR 2.0's classifier knows ``["0", "180"]``; ours also all four.
"""
from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np

from ppocr.errors import ConfigError
from ppocr.utils.geometry import is_tall, turned_by_crop_step

DIRECTIONS = ("0", "90", "180", "270")
TWO_DIRECTIONS = ["0", "180"]


def parse_label_list(label_list: Sequence, where: str) -> List[str]:
    """``label_list`` as strings (YAML may give numbers), checked: distinct directions, "0" first among them."""
    if not isinstance(label_list, (list, tuple)) or len(label_list) < 2:
        raise ConfigError(f"{where}.label_list must list at least two directions of {list(DIRECTIONS)}, got "
                          f"{label_list!r}")
    labels = [str(v) for v in label_list]
    unknown = [v for v in labels if v not in DIRECTIONS]
    if unknown or len(set(labels)) != len(labels) or "0" not in labels:
        raise ConfigError(f"{where}.label_list must be distinct directions of {list(DIRECTIONS)} including '0', "
                          f"got {label_list!r}")
    return labels


def turn(img: np.ndarray, degrees: int) -> np.ndarray:
    """``img`` turned ``degrees`` (a multiple of 90) counter-clockwise."""
    return np.ascontiguousarray(np.rot90(img, (int(degrees) // 90) % 4))


def make_upright(img: np.ndarray, label: str) -> np.ndarray:
    """Turn a crop whose text is turned by ``label`` the right way up."""
    return turn(img, -int(label))


def as_system_crop(img: np.ndarray, degrees: int) -> Tuple[np.ndarray, int]:
    """What the system's crop step makes of a crop whose text is turned ``degrees``: tall crops are turned by
    90 degrees counter-clockwise (see :func:`ppocr.utils.geometry.crop_quad`), which adds 90 to the label."""
    if is_tall(*img.shape[:2]):
        return turn(img, 90), (degrees + 90) % 360
    return img, degrees


def page_turn(quads: Sequence[np.ndarray], directions: Sequence[Tuple[str, float]], min_votes: int = 2) -> int:
    """How far a page seems turned (0, 90, 180 or 270 degrees counter-clockwise), from the directions the
    classifier gave its crops: each crop votes, weighted by its score, for the turn of the page it implies
    (a crop the crop step turned by 90 degrees implies the page's turn minus 90). The turn with the most
    weight wins if at least ``min_votes`` crops voted for it (the system then confirms it by reading)."""
    weights = {d: 0.0 for d in DIRECTIONS}
    voters = {d: 0 for d in DIRECTIONS}
    for quad, (label, score) in zip(quads, directions):
        turn_of_page = str((int(label) + (270 if turned_by_crop_step(quad) else 0)) % 360)
        weights[turn_of_page] += float(score)
        voters[turn_of_page] += 1
    best = max(weights, key=weights.get)
    return int(best) if best != "0" and weights[best] > weights["0"] and voters[best] >= min_votes else 0


def points_after_turn(points: np.ndarray, shape: Tuple[int, ...], degrees: int) -> np.ndarray:
    """Where points ``[[x, y], ...]`` of an image of ``shape`` lie once the image is turned by ``degrees``
    counter-clockwise (:func:`turn`)."""
    pts = np.asarray(points, dtype=np.float32).copy()
    height, width = shape[:2]
    for _ in range((int(degrees) // 90) % 4):
        pts = np.stack([pts[:, 1], width - pts[:, 0]], axis=1)
        height, width = width, height
    return pts
