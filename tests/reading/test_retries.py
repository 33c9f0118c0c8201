"""The retries alone: which crops they read again, and which reading they keep."""
import numpy as np

from ppocr.infer.reading.retries import dense, invert_retry, retry_surer


def test_dense_readings_are_those_with_many_characters_per_crop_height():
    crops = [np.zeros((10, 20, 3), np.uint8), np.zeros((10, 200, 3), np.uint8)]
    # 6 characters in a 20 px wide, 10 px high crop: 3 per height (> 2.8); in a 200 px one: 0.3
    assert dense(crops, [("abcdef", 0.9, 0.9), ("abcdef", 0.9, 0.9)]) == [0]


def test_the_reading_the_network_is_surer_of_wins_and_timings_add_up():
    crops = [np.full((8, 8, 3), v, np.uint8) for v in (1, 2, 3)]
    results = [("one", 0.4, 0.5), ("two", 0.9, 0.9), ("three", 0.2, 0.3)]
    seen = []

    def read(changed):
        seen.extend(int(c[0, 0, 0]) for c in changed)
        return [("ONE", 0.3, 0.6), ("THREE", 0.9, 0.2)], {"pre": 1.0, "infer": 2.0, "post": 3.0}

    timings = {"pre": 0.5, "infer": 0.5, "post": 0.5}
    retry_surer(read, crops, [0, 2], lambda c: c * 10, results, timings)
    assert seen == [10, 30]  # only the chosen crops, changed
    # crop 0: confidence 0.6 > 0.5 replaces (even with a lower score); crop 2: 0.2 < 0.3 keeps the first
    assert results == [("ONE", 0.3, 0.6), ("two", 0.9, 0.9), ("three", 0.2, 0.3)]
    assert timings == {"pre": 1.5, "infer": 2.5, "post": 3.5}


def test_only_light_on_dark_crops_are_read_inverted():
    dark = np.zeros((20, 60, 3), np.uint8)
    dark[8:12, 10:50] = 255  # light text on black
    light = 255 - dark
    calls = []

    def read(changed):
        calls.append(len(changed))
        return [("x", 1.0, 1.0)] * len(changed), {"pre": 0.0, "infer": 0.0, "post": 0.0}

    results = [("a", 0.5, 0.5), ("b", 0.5, 0.5)]
    invert_retry(read, [dark, light], results, {"pre": 0.0, "infer": 0.0, "post": 0.0})
    assert calls == [1] and results == [("x", 1.0, 1.0), ("b", 0.5, 0.5)]
