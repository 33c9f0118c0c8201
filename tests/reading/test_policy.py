"""The reading policy: presets, the policy a model carries in its inference.yml, honest scores."""
import numpy as np
import pytest

from ppocr.errors import ConfigError
from ppocr.infer.reading import PRESETS, ReadingPolicy, resolve_policy
from ppocr.infer.reading.ctc import reading_score
from ppocr.utils.character import CharacterDict
from tests.conftest import SHIPPED, SHIPPED_REC


def test_policies_check_their_ranges_and_saved_steps():
    with pytest.raises(ConfigError, match=r"stretch_retry \(--rec_stretch_retry\) must be >= 1.0"):
        ReadingPolicy(stretch_retry=0.5)
    with pytest.raises(ConfigError, match="m/inference.yml: Reading has unknown steps colour"):
        ReadingPolicy.from_dict({"colour": 1}, "m/inference.yml")
    assert resolve_policy(None) == PRESETS["shipped"]
    assert resolve_policy("plain", {"beam": 3}) == PRESETS["plain"]  # a preset wins over the saved policy
    assert resolve_policy(None, {"beam": 3}, lexicon="none") == ReadingPolicy(beam=3, lexicon="none")


def test_reading_score_is_the_mean_probability_at_the_emitting_columns():
    # 5 columns over blank, "a", "b": the best path spelling "ab" is a a - b b (emits at columns 0 and 3)
    probs = np.array([[0.1, 0.8, 0.1], [0.3, 0.6, 0.1], [0.7, 0.2, 0.1], [0.2, 0.1, 0.7], [0.4, 0.1, 0.5]])
    assert reading_score(probs, [1, 2], 0) == pytest.approx((0.8 + 0.7) / 2)
    assert reading_score(probs, [2], 0) == pytest.approx(0.7)  # "b": - - - b b, emitted at column 3
    assert reading_score(probs, [], 0) == 0.0


def test_a_reading_changed_by_the_lexicon_is_scored_by_its_own_characters():
    from ppocr.infer.reading.decode import BeyondGreedy

    class Swap:  # a lexicon that corrects every reading to "b"
        def correct(self, probs, character, path):
            return "b"

    character = CharacterDict.from_list(list("ab"))
    probs = np.array([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.4, 0.1, 0.5]])
    assert BeyondGreedy(character, None, Swap())(probs, "ab", 0.65) == ("b", pytest.approx(0.5))
    assert BeyondGreedy(character, None, None)(probs, "ab", 0.65) == ("ab", 0.65)  # unchanged: greedy score


@pytest.mark.skipif(not SHIPPED, reason="shipped models missing")
def test_plain_reads_exactly_greedy_ctc_of_the_network_output(fonts):
    from ppocr.infer.backends import PaddleInferenceBackend
    from ppocr.infer.contract import load_contract
    from ppocr.infer.rec import TextRecognizer
    from ppocr.synth import CropConfig, render_crop, sample_rng

    class Recording(PaddleInferenceBackend):
        outputs = []

        def run(self, x):
            out = super().run(x)
            self.outputs.append(out[0])
            return out

    import cv2

    crops = [cv2.cvtColor(render_crop(sample_rng(31, i), fonts, CropConfig(max_len=20)).image, cv2.COLOR_RGB2BGR)
             for i in range(12)]
    contract = load_contract(str(SHIPPED_REC), "rec")
    recognizer = TextRecognizer(contract, Recording(str(SHIPPED_REC)), 6, str(SHIPPED_REC), PRESETS["plain"])
    texts, _ = recognizer(crops)
    character = recognizer.character
    by_hand = {}
    for batch, probs in zip(recognizer.batches(crops), Recording.outputs):
        for i, row in zip(batch, probs):
            best = row.argmax(axis=1)
            keep = [k for t, k in enumerate(best) if k != 0 and (t == 0 or k != best[t - 1])]
            by_hand[i] = ("".join(character.classes[k] for k in keep).strip(" "),
                          float(np.mean([row[t, k] for t, k in enumerate(best)
                                         if k != 0 and (t == 0 or k != best[t - 1])])) if keep else 0.0)
    assert len(Recording.outputs) == len(recognizer.batches(crops))  # plain: no retry read anything again
    for i, (text, score) in enumerate(texts):
        assert text == by_hand[i][0] and score == pytest.approx(by_hand[i][1], abs=1e-6), (i, text, by_hand[i])
    assert len({t for t, _ in texts}) > 6  # real, varied readings


def test_an_exported_model_carries_its_reading_policy(tmp_path):
    from ppocr.engine.export import export_model
    from ppocr.engine.runtime import build_components, build_shared
    from ppocr.infer.contract import load_contract
    from ppocr.infer.rec import TextRecognizer
    from ppocr.utils.config import load_merged_config
    from tests.conftest import ROOT

    config = load_merged_config(str(ROOT / "configs" / "rec" / "rec_mv3_none_none_ctc.yml"))
    shared = build_shared(config)
    model = build_components(config, shared)[0]
    export_model(model, config, str(tmp_path), shared, reading="plain")
    contract = load_contract(str(tmp_path), "rec")
    assert ReadingPolicy.from_dict(contract["Reading"], "x") == PRESETS["plain"]
    assert TextRecognizer(contract, backend=None, model_dir=str(tmp_path)).policy == PRESETS["plain"]
