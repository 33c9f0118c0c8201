"""tools/eval_dev.py scores the shipped models on labelled folders, per kind."""
import re

import pytest

from tests.conftest import ROOT, SHIPPED, run_tool


@pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
def test_eval_dev_prints_per_kind_scores_for_e2e_det_and_rec(tmp_path):
    run_tool("tools/gen_data.py", "det", "--out", tmp_path / "pages", "--num", 2, "--seed", 41, "--fonts",
             ROOT / "doc" / "fonts")
    (tmp_path / "pages" / "kinds.tsv").write_text("images/000000.jpg\tdoc\nimages/000001.jpg\tform\n")
    out = run_tool("tools/eval_dev.py", "e2e", "--label_file", tmp_path / "pages" / "label.txt",
                   "--save_predictions", tmp_path / "e2e.jsonl").stdout
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if re.match(r"^(doc|form|ALL) ", line)}
    assert set(rows) == {"doc", "form", "ALL"} and "word_f1" in out and "median_ms" in out
    # columns: word precision, recall, F1, CER, pages, words, median ms; the shipped models read most words of
    # generated pages (word F1 0.90 of 142 words when written; the CER of a page's text depends on reading order)
    assert rows["doc"][4] == rows["form"][4] == "1" and rows["ALL"][4:6] == ["2", "142"]
    assert float(rows["ALL"][2]) >= 0.8, rows["ALL"]
    assert len((tmp_path / "e2e.jsonl").read_text().splitlines()) == 2
    det = run_tool("tools/eval_dev.py", "det", "--label_file", tmp_path / "pages" / "label.txt").stdout
    hmean = float(re.search(r"^ALL\s+[\d.]+\s+[\d.]+\s+([\d.]+)", det, re.M).group(1))
    assert hmean > 0.5  # the shipped detector finds most lines of generated pages

    run_tool("tools/gen_data.py", "rec", "--out", tmp_path / "crops", "--num", 12, "--seed", 41, "--max_len", 8,
             "--fonts", ROOT / "doc" / "fonts")
    rec = run_tool("tools/eval_dev.py", "rec", "--label_file", tmp_path / "crops" / "label.txt").stdout
    acc = float(re.search(r"^ALL\s+12\s+([\d.]+)", rec, re.M).group(1))
    assert acc >= 0.5
