"""The shipped direction classifier in the system: pages turned upside down or sideways are read as well as
upright ones, and without it they are not."""
import json

import cv2
import numpy as np
import pytest

from tests.conftest import SHIPPED

pytestmark = pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")


@pytest.fixture(scope="module")
def systems():
    from ppocr.infer.system import TextSystem

    return {"with": TextSystem.from_dirs(cpu_threads=1), "without": TextSystem.from_dirs(cpu_threads=1,
                                                                                       cls_model_dir=None)}


def word_f1(system, pages) -> float:
    from ppocr.metrics.e2e_metric import E2EMetric

    metric = E2EMetric(ignore_case=True, strip_punct=True)
    for img, truth in pages:
        metric.update([line.text for line in system.ocr(img)], truth)
    return metric.get_metric()["word_f1"]


def test_turned_generated_pages_are_read_right_with_the_classifier(systems, det_data):
    pages = []
    for line in (det_data / "label.txt").read_text().splitlines()[:3]:
        path, label = line.split("\t")
        pages.append((cv2.imread(str(det_data / path)), [i["transcription"] for i in json.loads(label)]))
    upright = word_f1(systems["with"], pages)
    turned_180 = [(cv2.rotate(img, cv2.ROTATE_180), truth) for img, truth in pages]
    turned_90 = [(cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE), truth) for img, truth in pages]
    assert upright > 0.85
    # Measured with the shipped models: upright 1.0, turned 180 at least 0.95, turned 90 0.89 (vertical lines are
    # found in pieces until the page is turned back, and short words vote weakly).
    assert word_f1(systems["with"], turned_180) >= upright - 0.08
    assert word_f1(systems["with"], turned_90) >= upright - 0.2
    assert word_f1(systems["without"], turned_180) < 0.5 * upright  # upside-down crops are not read
    assert word_f1(systems["without"], pages) >= upright - 0.02  # the classifier costs upright pages nothing


def test_the_classifier_turns_crops_of_a_known_direction(systems):
    from ppocr.utils.directions import turn

    classifier = systems["with"].classifier
    crop = np.full((40, 240, 3), 255, np.uint8)
    cv2.putText(crop, "Direction test 42", (6, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (0, 0, 0), 2)
    directions, _ = classifier([crop, turn(crop, 180)])
    assert [d for d, _ in directions] == ["0", "180"]
    upright, _, _ = classifier.make_upright([turn(crop, 180)])
    assert np.array_equal(upright[0], crop)
