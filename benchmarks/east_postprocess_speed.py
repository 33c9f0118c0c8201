"""Speed of EAST post-processing (restore -> locality-aware NMS -> cover filter) on synthetic maps with a
chosen number of candidate pixels.

python3 benchmarks/east_postprocess_speed.py --candidates 1000 --repeat 50

The maps hold ``--words`` text boxes in rows, as EAST predicts them: every pixel inside a box scores above the
threshold and its geometry points (with +-1.5 px noise) at the box's vertices.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))


def synthetic_maps(candidates: int, words: int, seed: int = 0):
    """Score and geometry maps (stride 4) with about ``candidates`` pixels above 0.8 spread over ``words`` boxes."""
    rng = np.random.default_rng(seed)
    box_h = 4  # map pixels
    box_w = max(1, -(-candidates // (words * box_h)))  # ceil: at least ``candidates`` pixels in all
    cols = 6
    size = (8 + (words // cols + 1) * (box_h + 4), 8 + cols * (box_w + 4))
    score = np.zeros(size, np.float32)
    geo = np.zeros((8,) + size, np.float32)
    for k in range(words):
        r0, c0 = 4 + (k // cols) * (box_h + 4), 4 + (k % cols) * (box_w + 4)
        quad = 4 * np.array([[c0, r0], [c0 + box_w, r0], [c0 + box_w, r0 + box_h], [c0, r0 + box_h]], np.float32)
        rows, cs = np.mgrid[r0:r0 + box_h, c0:c0 + box_w]
        rows, cs = rows.ravel(), cs.ravel()
        score[rows, cs] = rng.uniform(0.85, 1.0, len(rows))
        geo[0::2, rows, cs] = quad[:, 0:1] - 4 * cs + rng.normal(0, 1.5, (4, len(rows)))
        geo[1::2, rows, cs] = quad[:, 1:2] - 4 * rows + rng.normal(0, 1.5, (4, len(rows)))
    return score, geo


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--candidates", type=int, default=1000)
    p.add_argument("--words", type=int, default=40)
    p.add_argument("--repeat", type=int, default=50)
    args = p.parse_args()
    from ppocr.postprocess.east_postprocess import EASTPostProcess, restore_quads

    score, geo = synthetic_maps(args.candidates, args.words)
    n = int((score > 0.8).sum())
    post = EASTPostProcess(score_thresh=0.8, cover_thresh=0.1, nms_thresh=0.2)
    outs = {"f_score": score[None, None], "f_geo": geo[None]}
    shape = np.array([[4 * score.shape[0], 4 * score.shape[1], 1.0, 1.0]])
    result = post(outs, shape)[0]  # warm-up (imports, shapely)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        post(outs, shape)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    restore_quads(score, geo, 0.8)
    restore_ms = 1000 * (time.perf_counter() - t0)
    print(f"EAST post-process: {n} candidate quads -> {len(result['points'])} boxes ({args.words} words); "
          f"median {1000 * statistics.median(times):.1f} ms, max {1000 * max(times):.1f} ms over {args.repeat} runs "
          f"(restore alone {restore_ms:.2f} ms)")


if __name__ == "__main__":
    main()
