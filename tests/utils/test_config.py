import pytest
import yaml

from ppocr.errors import ConfigError
from ppocr.utils.config import (
    apply_overrides,
    load_config,
    load_merged_config,
    parse_overrides,
    parse_value,
    save_config,
    validate_config,
)
from ppocr.utils.numbers import parse_number


@pytest.mark.parametrize("text, expected", [
    ("10", 10), ("-3", -3), ("0.5", 0.5), ("1e-3", 1e-3), ("true", True), ("False", False),
    ("None", None), ("null", None), ("[1,2]", [1, 2]), ("[320, 320]", [320, 320]), ("[a,b.txt]", ["a", "b.txt"]),
    ("[]", []), ("[[1,2],[3]]", [[1, 2], [3]]), ("./out/x", "./out/x"), ("'quoted'", "quoted"),
])
def test_parse_value_types(text, expected):
    assert parse_value(text) == expected
    assert type(parse_value(text)) is type(expected)


def test_override_without_equals_gives_example():
    with pytest.raises(ConfigError, match=r"expected Section.key=value, e.g. -o Global.epoch_num=10"):
        parse_overrides(["Global.epoch_num"])


def test_override_unknown_section_suggests_closest():
    with pytest.raises(ConfigError, match=r"unknown section 'Globl'.*Did you mean 'Global'"):
        parse_overrides(["Globl.epoch_num=3"])


def test_apply_overrides_nested_and_list_index():
    cfg = {"Global": {"epoch_num": 1}, "Train": {"dataset": {"transforms": [{"A": {"x": 1}}, {"B": None}]}}}
    out = apply_overrides(cfg, ["Global.epoch_num=5", "Train.dataset.transforms.0.A.x=[2,3]", "Global.new=None"])
    assert out["Global"] == {"epoch_num": 5, "new": None}
    assert out["Train"]["dataset"]["transforms"][0] == {"A": {"x": [2, 3]}}
    assert cfg["Global"]["epoch_num"] == 1  # the input is not modified
    with pytest.raises(ConfigError, match="list index below 2"):
        apply_overrides(cfg, ["Train.dataset.transforms.7.A.x=1"])


def test_typo_in_global_key_is_named_with_hint():
    with pytest.raises(ConfigError, match=r"unknown key 'Global.epoch_nmu'. Did you mean 'epoch_num'"):
        validate_config({"Global": {"epoch_nmu": 3}})
    with pytest.raises(ConfigError, match=r"'Train.loader.batch_size'.*Did you mean 'batch_size_per_card'"):
        validate_config({"Train": {"loader": {"batch_size": 3}}})


def test_yaml_is_safe_loaded(tmp_path):
    bad = tmp_path / "evil.yml"
    bad.write_text("Global: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(str(bad))


def test_unknown_section_in_file(tmp_path):
    f = tmp_path / "c.yml"
    f.write_text("Gobal: {}\n")
    with pytest.raises(ConfigError, match="Did you mean 'Global'"):
        load_config(str(f))


def test_merged_config_round_trips(tmp_path):
    from tests.conftest import DET_CONFIG

    cfg = load_merged_config(DET_CONFIG, ["Global.epoch_num=2", "Optimizer.lr.learning_rate=0.01"])
    assert cfg["Global"]["epoch_num"] == 2 and cfg["Optimizer"]["lr"]["learning_rate"] == 0.01
    save_config(cfg, str(tmp_path / "o" / "config.yml"))
    assert yaml.safe_load((tmp_path / "o" / "config.yml").read_text()) == cfg


@pytest.mark.parametrize("value, expected", [("1./255.", 1 / 255), ("3/4", 0.75), (0.5, 0.5), ("2e-3", 0.002)])
def test_parse_number_fractions(value, expected):
    assert parse_number(value) == pytest.approx(expected)


def test_parse_number_rejects_expressions():
    with pytest.raises(ValueError):
        parse_number("__import__('os').system('x')")


def test_repeated_override_flags_accumulate():
    from ppocr.utils.cli import config_parser

    args = config_parser("t").parse_args(["-c", "x.yml", "-o", "Global.epoch_num=2", "A.b=1",
                                          "-o", "Global.checkpoints=./out/latest"])
    assert args.opt == ["Global.epoch_num=2", "A.b=1", "Global.checkpoints=./out/latest"]
