"""The character n-gram model of words (ppocr/infer/reading/char_lm.py), against hand-computed values."""
import gzip
import math

import pytest

from ppocr.infer.reading.char_lm import CHAR_LM_FILE, WORD_MARK, CharNGramLM, resolve_char_lm, words_of


def test_words_are_lower_case_runs_of_letters_and_digits():
    assert words_of("Tel/Fax: 603-7877, ok") == ["tel", "fax", "603", "7877", "ok"]


def test_witten_bell_probabilities_by_hand():
    lm = CharNGramLM.fit(["ab ab", "ac"], order=2, uniform_share=0.0)
    # Unigram context: a 3, b 2, c 1, end 3 (9 counts, 4 types); uniform over those 4 symbols.
    p_b = (2 + 4 * 0.25) / (9 + 4)
    assert lm.log_prob("", "b") == pytest.approx(math.log(p_b))
    # After "a": b twice, c once (3 counts, 2 types), mixed with the unigram estimate.
    assert lm.log_prob("a", "b") == pytest.approx(math.log((2 + 2 * p_b) / (3 + 2)))
    # An unseen context falls back to the unigram.
    assert lm.log_prob("z", "b") == pytest.approx(math.log(p_b))


def test_probabilities_are_mixed_with_the_uniform():
    pure = CharNGramLM.fit(["chp chp che"] * 1000, order=3, uniform_share=0.0)
    mixed = CharNGramLM(3, pure.counts, uniform_share=0.1)
    vocabulary = len(pure.counts[""])  # c, h, p, e and the word end
    for context, char in (("ch", "p"), ("ch", "e"), ("ch", "c")):
        expected = 0.9 * math.exp(pure.log_prob(context, char)) + 0.1 / vocabulary
        assert mixed.log_prob(context, char) == pytest.approx(math.log(expected))
    # A follower never seen after a context seen 3,000 times costs at most log(share / vocabulary).
    assert pure.log_prob("ch", "c") < math.log(1e-6) < math.log(0.1 / vocabulary) < mixed.log_prob("ch", "c")
    with pytest.raises(ValueError, match="uniform_share"):
        CharNGramLM(3, pure.counts, uniform_share=1.0)


def test_each_context_is_a_distribution():
    lm = CharNGramLM.fit(["the cat sat on the mat", "3 cats, 12 hats"], order=3)
    symbols = set(lm.counts[""])
    for context in ("", WORD_MARK * 2, "th", "at", "zq"):
        assert sum(math.exp(lm.log_prob(context, c)) for c in symbols) == pytest.approx(1.0)


def test_transition_scores_word_characters_and_word_ends_only():
    lm = CharNGramLM.fit(["gifts for you", "gifts 9712 9713"] * 5, order=4)
    assert lm.transition("My gif", "t") == lm.transition("my gif", "T") == lm.log_prob("gif", "t")
    assert lm.transition("9", "7") > lm.transition("97", "i")  # digits follow digits
    assert lm.transition("Gifts", " ") == lm.log_prob("fts", WORD_MARK)  # the word ends
    assert lm.transition("Gifts ", " ") == 0.0 and lm.transition("Gifts ", ".") == 0.0
    assert lm.word_log_prob("gifts") > lm.word_log_prob("gts")


def test_save_load_round_trip_and_bad_files(tmp_path):
    lm = CharNGramLM.fit(["one two three"], order=3)
    path = str(tmp_path / CHAR_LM_FILE)
    lm.save(path)
    again = resolve_char_lm("auto", str(tmp_path))
    assert again.order == 3 and again.log_prob("tw", "o") == lm.log_prob("tw", "o")
    assert resolve_char_lm("none", str(tmp_path)) is None
    assert resolve_char_lm("auto", str(tmp_path / "elsewhere")) is None
    with pytest.raises(FileNotFoundError, match="missing.gz"):
        CharNGramLM.load(str(tmp_path / "missing.gz"))
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="bad.gz"):
        CharNGramLM.load(str(bad))
    with gzip.open(tmp_path / "other.gz", "wt") as f:
        f.write('{"format": "something else"}')
    with pytest.raises(ValueError, match="other.gz"):
        CharNGramLM.load(str(tmp_path / "other.gz"))


def test_fit_needs_words_and_order_two():
    with pytest.raises(ValueError, match="no words"):
        CharNGramLM.fit(["...", " - "])
    with pytest.raises(ValueError, match="order"):
        CharNGramLM.fit(["word"], order=1)


def test_build_char_lm_tool(tmp_path):
    from tests.conftest import run_tool

    text = tmp_path / "texts.txt"
    text.write_text("Total 12.50\nGifts for you\n" * 3)
    out = tmp_path / "rec" / CHAR_LM_FILE
    proc = run_tool("tools/build_char_lm.py", "--text", text, "--order", "3", "--min_count", "1", "--out", out)
    assert "wrote" in proc.stdout
    lm = CharNGramLM.load(str(out))
    assert lm.order == 3 and lm.counts[WORD_MARK * 2] == {"t": 3, "1": 3, "5": 3, "g": 3, "f": 3, "y": 3}
    missing = run_tool("tools/build_char_lm.py", "--text", tmp_path / "nope.txt", "--out", out, check=False)
    assert missing.returncode == 2 and "nope.txt" in missing.stdout
    nothing = run_tool("tools/build_char_lm.py", "--out", out, check=False)
    assert nothing.returncode == 2 and "--lmdb" in nothing.stdout


def test_add_to_sums_the_counts_of_an_existing_model(tmp_path):
    from tests.conftest import run_tool

    base = tmp_path / "base.json.gz"
    CharNGramLM.fit(["tea tea"], order=3).save(str(base))
    text = tmp_path / "fr.txt"
    text.write_text("th\u00e9\n", encoding="utf-8")
    out = tmp_path / CHAR_LM_FILE
    run_tool("tools/build_char_lm.py", "--text", text, "--order", "3", "--min_count", "1", "--add_to", base,
             "--out", out)
    lm = CharNGramLM.load(str(out))
    assert lm.counts[WORD_MARK * 2] == {"t": 3}  # two words of the base model, one of the text
    assert lm.counts["t"] == {"e": 2, "h": 1} and lm.counts["h"] == {"\u00e9": 1}
    with pytest.raises(ValueError, match="order-3 model to an order-5"):
        CharNGramLM.fit(["tea"], order=5).merged(lm)
    wrong = run_tool("tools/build_char_lm.py", "--text", text, "--add_to", base, "--out", out, check=False)
    assert wrong.returncode == 2 and "order-5 model to an order-3" in wrong.stdout


def test_states_score_like_whole_readings():
    lm = CharNGramLM.fit(["Tel/Fax: 603-7877 9712", "gifts for you"] * 3, order=4)
    text, state = "", lm.start
    for char in "Tel/Fax: 97i2 Gifts.":
        assert lm.score(state, char) == lm.transition(text, char)
        text, state = text + char, lm.advance(state, char)
    assert lm.score(state, WORD_MARK) == lm.transition(text, WORD_MARK)


def test_build_char_lm_counts_a_config_s_train_labels_and_lmdbs_alike(tmp_path):
    from ppocr.synth.generate import GenConfig, generate
    from tests.conftest import ROOT, run_tool

    text = tmp_path / "lines.txt"
    text.write_text("Total 12.50\nGifts for you\n")
    generate(GenConfig("rec", str(tmp_path / "rec"), 6, seed=1, lmdb=True, text_file=str(text)), progress=False)
    config = ROOT / "configs" / "rec" / "rec_mv3_crnn_en.yml"
    by_config = run_tool("tools/build_char_lm.py", "-c", config, "-o", f"Train.dataset.data_dir={tmp_path / 'rec'}",
                         "--order", "3", "--min_count", "1", "--out", tmp_path / "a" / CHAR_LM_FILE)
    assert "6 Train labels of" in by_config.stdout
    by_lmdb = run_tool("tools/build_char_lm.py", "--lmdb", tmp_path / "rec", "--order", "3", "--min_count", "1",
                       "--out", tmp_path / "b" / CHAR_LM_FILE)
    assert "6 labels under" in by_lmdb.stdout
    a, b = (CharNGramLM.load(str(tmp_path / d / CHAR_LM_FILE)) for d in "ab")
    assert a.counts == b.counts and a.counts  # the same six labels, counted the same way
    assert set(a.counts[WORD_MARK * 2]) <= {"t", "1", "5", "g", "f", "y"}  # word starts of the two lines only
