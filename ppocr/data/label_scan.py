"""Pre-scan of label files: every problem is reported with file:line, bad lines are skipped and counted."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

LabelCheck = Callable[[str], Optional[str]]  # label text -> problem description or None


@dataclass
class Sample:
    image_path: str      # resolved path on disk
    label: str
    source: str          # "label_file:line" for messages


@dataclass
class ScanReport:
    samples: List[Sample] = field(default_factory=list)
    problems: List[Tuple[str, str]] = field(default_factory=list)  # (where, what)

    def summary(self, max_lines: int = 20) -> str:
        lines = [f"{len(self.samples)} usable samples, {len(self.problems)} bad label lines skipped"]
        lines += [f"  {where}: {what}" for where, what in self.problems[:max_lines]]
        if len(self.problems) > max_lines:
            lines.append(f"  ... and {len(self.problems) - max_lines} more (run tools/check_data.py for all)")
        return "\n".join(lines)


def check_det_label(label: str) -> Optional[str]:
    """Problem with a detection label (JSON list of {transcription, points}), or None."""
    try:
        items = json.loads(label)
    except json.JSONDecodeError as e:
        return f"bad JSON ({e.msg} at column {e.colno})"
    if not isinstance(items, list):
        return "label must be a JSON list of {\"transcription\", \"points\"} objects"
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "points" not in item:
            return f"item {i} has no 'points'"
        pts = item["points"]
        if not (isinstance(pts, list) and len(pts) >= 4 and all(isinstance(p, list) and len(p) == 2 for p in pts)):
            return f"item {i}: 'points' must be a list of at least 4 [x, y] pairs"
        if not all(isinstance(v, (int, float)) for p in pts for v in p):
            return f"item {i}: 'points' must hold numbers"
    return None


def check_text_label(label: str) -> Optional[str]:
    return None


def resolve_image_path(data_dir: str, rel_path: str) -> str:
    """Label paths are relative to data_dir unless absolute."""
    return rel_path if os.path.isabs(rel_path) else os.path.join(data_dir, rel_path)


def escapes_data_dir(data_dir: str, rel_path: str) -> bool:
    """A relative label path that climbs out of data_dir with '..': refused, so that a label file handed
    over with a data set cannot point the loader at arbitrary files (absolute paths are explicit)."""
    if os.path.isabs(rel_path):
        return False
    root = os.path.abspath(data_dir)
    return os.path.commonpath([root, os.path.abspath(os.path.join(root, rel_path))]) != root


def scan_label_file(label_file: str, data_dir: str, delimiter: str = "\t",
                    check_label: LabelCheck = check_text_label) -> ScanReport:
    """Read one PaddleOCR label file (``path<delimiter>label`` per line) and check each line."""
    report = ScanReport()
    with open(label_file, encoding="utf-8", errors="replace") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            where = f"{label_file}:{line_no}"
            if not line.strip():
                continue
            if delimiter not in line:
                hint = " (found spaces: use a tab between path and label)" if delimiter == "\t" and " " in line else ""
                report.problems.append((where, f"no {delimiter!r} separator between image path and label{hint}"))
                continue
            rel_path, label = line.split(delimiter, 1)
            if not label.strip():
                report.problems.append((where, "empty label"))
                continue
            if escapes_data_dir(data_dir, rel_path):
                report.problems.append((where, f"image path {rel_path} leads outside data_dir {data_dir} (use "
                                               f"an absolute path if that is intended)"))
                continue
            path = resolve_image_path(data_dir, rel_path)
            if not os.path.isfile(path):
                report.problems.append((where, f"image not found: {path}"))
                continue
            problem = check_label(label)
            if problem:
                report.problems.append((where, problem))
                continue
            report.samples.append(Sample(path, label, where))
    return report
