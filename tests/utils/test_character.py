"""CharacterDict: class layouts, encode/decode, label problems, dictionaries shipped with the toolkit."""
import logging
import string

import pytest
import yaml

from ppocr.errors import ConfigError
from ppocr.utils.character import REPO_ROOT, CharacterDict
from tests.conftest import ROOT


def _dict_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_chinese_dict", ROOT / "tools" / "build_chinese_dict.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_tool = _dict_tool()
FULL_WIDTH_PUNCTUATION, render = _tool.FULL_WIDTH_PUNCTUATION, _tool.render

EN_CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase + string.punctuation


@pytest.mark.parametrize("mode,space,expected", [("ctc", False, 95), ("ctc", True, 96),
                                                 ("attention", False, 96), ("attention", True, 97)])
def test_sizes(mode, space, expected):
    cd = CharacterDict(use_space_char=space, mode=mode)
    assert cd.num_classes == len(cd.classes) == expected
    assert len(cd.dict_chars) == 94 and "".join(cd.dict_chars) == EN_CHARS
    assert (" " in cd.chars) == space


def test_special_tokens():
    ctc = CharacterDict()
    assert ctc.blank == 0 and ctc.classes[1] == "0"
    with pytest.raises(AttributeError):
        ctc.eos
    att = CharacterDict(use_space_char=True, mode="attention")
    assert att.sos == 0 and att.eos == 96 and att.classes[-2] == " "
    with pytest.raises(AttributeError):
        att.blank


def test_encode_decode_round_trip():
    for mode in ("ctc", "attention"):
        cd = CharacterDict(use_space_char=True, mode=mode)
        text = "Hello, World! 42 {x}~"
        idx = cd.encode(text)
        assert idx[0] == EN_CHARS.index("H") + 1
        assert cd.decode(idx) == text
    cd = CharacterDict(mode="attention")
    assert cd.decode([cd.sos, *cd.encode("ab"), cd.eos]) == "ab"  # special tokens are skipped


def test_out_of_dictionary():
    cd = CharacterDict()
    assert cd.encode("café €5") is None
    msg = cd.problem("café €5", 25)
    assert "not in the dictionary" in msg and "'é'" in msg and "'€'" in msg and "' '" in msg
    assert cd.problem("a b", 25).endswith("(set Global.use_space_char: true to allow spaces)")
    assert CharacterDict(use_space_char=True).problem("a b", 25) is None


def test_length_and_empty():
    cd = CharacterDict()
    assert cd.problem("a" * 31, 25) == "label longer than max_text_length (31 > 25)"
    assert cd.problem("a" * 25, 25) is None
    assert cd.problem("", 25) == "empty label"
    assert CharacterDict(use_space_char=True).problem("   ", 25) == "empty label"
    check = cd.label_check(3)
    assert check("abc") is None and check("abcd")


def test_describe():
    assert CharacterDict(use_space_char=True).describe() == \
        "96 classes: 94 dictionary characters + space + CTC blank (ppocr/utils/en_dict.txt)"
    assert CharacterDict(mode="attention").describe() == \
        "96 classes: sos + 94 dictionary characters + eos (ppocr/utils/en_dict.txt)"


def test_bad_mode_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="ctc, attention"):
        CharacterDict(mode="seq2seq")
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        CharacterDict(missing)


def test_file_parsing_and_duplicates(tmp_path, caplog):
    path = tmp_path / "d.txt"
    path.write_bytes("\ufeffa\r\nb\n\na\n \nb \nc\n".encode("utf-8"))  # BOM, CRLF, blank, dups, space line
    logger = logging.getLogger("ppocr")
    added = not logger.propagate  # tools configure ppocr not to propagate; caplog listens on root
    if added:
        logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger="ppocr"):
            cd = CharacterDict(str(path), use_space_char=True)
    finally:
        if added:
            logger.removeHandler(caplog.handler)
    assert cd.chars == ["a", "b", " ", "c"]  # the file's space keeps its place; none appended
    assert cd.num_classes == 5
    warnings = [r for r in caplog.records if "duplicate" in r.getMessage()]
    assert len(warnings) == 1 and "2 duplicate" in warnings[0].getMessage()
    bad = tmp_path / "bad.txt"
    bad.write_text("a\nbc\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.txt:2"):
        CharacterDict(str(bad))


def test_contract_round_trip(tmp_path):
    cd = CharacterDict(use_space_char=True)
    text = yaml.safe_dump({"character": cd.to_contract()}, allow_unicode=True)
    back = CharacterDict.from_contract(yaml.safe_load(text)["character"], str(tmp_path))
    assert back.classes == cd.classes and back.mode == "ctc" and back.use_space_char
    broken = dict(cd.to_contract(), num_classes=10)
    with pytest.raises(ConfigError, match="inference.yml"):
        CharacterDict.from_contract(broken, str(tmp_path))
    with pytest.raises(ConfigError, match="characters"):
        CharacterDict.from_contract({"mode": "ctc"}, str(tmp_path))


def test_chinese_dict():
    path = "ppocr/utils/ppocr_keys_v1.txt"
    with open(f"{REPO_ROOT}/{path}", encoding="utf-8", newline="") as f:
        assert f.read() == render()  # the committed file is what the build script produces
    cd = CharacterDict(path)
    hanzi = [c for c in cd.dict_chars if "\u4e00" <= c <= "\u9fff"]
    assert len(hanzi) == 6763
    assert set(EN_CHARS) <= set(cd.dict_chars) and set(FULL_WIDTH_PUNCTUATION) <= set(cd.dict_chars)
    assert len(cd.dict_chars) == 6763 + 94 + len(FULL_WIDTH_PUNCTUATION)
    assert cd.decode(cd.encode("中文OCR，测试。")) == "中文OCR，测试。"
