import pytest

from ppocr.errors import ConfigError
from ppocr.utils.registry import Registry


def make_registry():
    reg = Registry("backbone")

    @reg.register
    class MobileNetV3:
        def __init__(self, in_channels, scale=0.5):
            self.in_channels, self.scale = in_channels, scale

    @reg.register(aliases=["ResNetOld"])
    class ResNet:
        def __init__(self, layers=50):
            self.layers = layers

    return reg


def test_build_passes_yaml_kwargs_and_wiring():
    obj = make_registry().build({"name": "MobileNetV3", "scale": 0.35}, "Architecture.Backbone", in_channels=3)
    assert (obj.in_channels, obj.scale) == (3, 0.35)


def test_unknown_name_lists_choices_and_closest():
    with pytest.raises(ConfigError) as e:
        make_registry().build({"name": "MobileNetV2"}, "Architecture.Backbone")
    msg = str(e.value)
    assert "unknown backbone 'MobileNetV2' at 'Architecture.Backbone'" in msg
    assert "Valid names: MobileNetV3, ResNet, ResNetOld" in msg
    assert "Did you mean 'MobileNetV3'?" in msg


def test_unknown_key_names_yaml_path():
    with pytest.raises(ConfigError, match=r"unknown key 'Architecture.Backbone.scael'.*Did you mean 'scale'"):
        make_registry().build({"name": "MobileNetV3", "scael": 1}, "Architecture.Backbone", in_channels=3)


def test_alias_and_duplicates():
    reg = make_registry()
    assert reg.get("ResNetOld") is reg.get("ResNet")
    with pytest.raises(KeyError, match="registered twice"):
        reg.register(type("ResNet", (), {}))


def test_missing_name():
    with pytest.raises(ConfigError, match="needs a 'name' key"):
        make_registry().build({"scale": 1}, "Architecture.Backbone")


def test_real_model_registries_report_errors():
    from ppocr.modeling.architectures import build_model

    arch = {"model_type": "det", "algorithm": "DB", "Backbone": {"name": "MobileNetV4"},
            "Neck": {"name": "DBFPN"}, "Head": {"name": "DBHead"}}
    with pytest.raises(ConfigError, match=r"unknown det backbone 'MobileNetV4'.*Did you mean 'MobileNetV3'"):
        build_model(arch)
    arch["Backbone"] = {"name": "MobileNetV3", "scale": 0.5}
    arch["Head"] = {"name": "DBHead", "kk": 50}
    with pytest.raises(ConfigError, match=r"'Architecture.Head.kk'.*Did you mean 'k'"):
        build_model(arch)
