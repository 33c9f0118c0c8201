"""The models shipped in inference/ read freshly generated data (seeds never used for training or tuning)."""
import json
from pathlib import Path

import pytest

from ppocr.infer.backends import PaddleInferenceBackend
from ppocr.infer.contract import load_contract
from ppocr.infer.images import read_image

ROOT = Path(__file__).resolve().parents[2]
DET_DIR, REC_DIR = ROOT / "inference" / "det", ROOT / "inference" / "rec"
# The fonts the shipped models were trained with; Debian's fonts-dejavu, else the one bundled in doc/fonts,
# so that the generated test data does not depend on which other fonts a machine has.
DEJAVU = "/usr/share/fonts/truetype/dejavu" if Path("/usr/share/fonts/truetype/dejavu").is_dir() \
    else str(ROOT / "doc" / "fonts")


@pytest.mark.skipif(not (DET_DIR / "inference.json").is_file(), reason="no shipped detector")
def test_shipped_detector_finds_the_lines_of_generated_pages(tmp_path):
    import numpy as np

    from ppocr.data.synth.generate import GenConfig, generate
    from ppocr.infer.det import TextDetector
    from ppocr.metrics.det_metric import DetMetric

    generate(GenConfig("det", str(tmp_path), 4, seed=77, font_dir=DEJAVU), progress=False)
    contract = load_contract(str(DET_DIR), "det")
    contract["PostProcess"]["unclip_ratio"] = 1.0  # tight boxes, like the labels (1.5 is for the system)
    detector = TextDetector(contract, PaddleInferenceBackend(str(DET_DIR)))
    metric = DetMetric()
    for line in (tmp_path / "label.txt").read_text().splitlines():
        path, label = line.split("\t")
        items = json.loads(label)
        boxes, _, _ = detector(read_image(str(tmp_path / path)))
        metric.update([boxes], [np.array([i["points"] for i in items], "float32")],
                      [np.array([i["transcription"] == "###" for i in items])])
    assert metric.get_metric()["hmean"] >= 0.85


@pytest.mark.skipif(not (REC_DIR / "inference.json").is_file(), reason="no shipped recognizer")
def test_shipped_recognizer_reads_generated_words(tmp_path):
    from ppocr.data.synth.generate import GenConfig, generate
    from ppocr.infer.rec import TextRecognizer
    from ppocr.metrics.rec_metric import RecMetric

    generate(GenConfig("rec", str(tmp_path), 40, seed=77, max_len=10, font_dir=DEJAVU), progress=False)
    rows = [line.split("\t") for line in (tmp_path / "label.txt").read_text().splitlines()]
    recognizer = TextRecognizer(load_contract(str(REC_DIR), "rec"), PaddleInferenceBackend(str(REC_DIR)),
                                model_dir=str(REC_DIR))
    texts, _ = recognizer([read_image(str(tmp_path / p)) for p, _ in rows])
    metric = RecMetric()
    metric.update(texts, [(t, 1.0) for _, t in rows])
    result = metric.get_metric()
    # The shipped CRNN reads 0.95 of such crops exactly (0.99 by edit distance) on 2,000 of them.
    assert result["acc"] >= 0.8 and result["norm_edit_dis"] >= 0.95, result
