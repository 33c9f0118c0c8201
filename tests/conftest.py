"""Shared fixtures: a tiny generated detection dataset and fast training overrides."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
# Hermetic: the generator renders with the repository's fonts and words only (doc/fonts, the built-in word
# lists), never what this machine has installed, so every machine runs the same tests. Tools started by the
# tests inherit it.
os.environ["PPOCR_HERMETIC"] = "1"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from ppocr.infer.models import DEFAULT_CLS_MODEL_DIR, DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR  # noqa: E402

# The default models shipped in inference/ (the tests that use them are skipped where they are missing).
SHIPPED_DET, SHIPPED_REC, SHIPPED_CLS = (Path(DEFAULT_DET_MODEL_DIR), Path(DEFAULT_REC_MODEL_DIR),
                                         Path(DEFAULT_CLS_MODEL_DIR))
SHIPPED = all((d / "inference.json").is_file() for d in (SHIPPED_DET, SHIPPED_REC, SHIPPED_CLS))

DET_CONFIG = str(ROOT / "configs" / "det" / "det_mv3_db.yml")


@pytest.fixture(scope="session")
def fonts():
    """The bundled fonts (the session is hermetic), loaded once."""
    from ppocr.synth import discover_fonts

    return discover_fonts()


@pytest.fixture(scope="session")
def det_data(tmp_path_factory) -> Path:
    """Six generated document pages with line boxes (label.txt + images/)."""
    from ppocr.synth.generate import GenConfig, generate

    out = tmp_path_factory.mktemp("det_data")
    generate(GenConfig("det", str(out), 6, seed=3), progress=False)
    return out


def fast_det_overrides(data_dir: Path, save_dir: Path, epochs: int = 1) -> list:
    """Small crops, a thin FPN and tiny batches: a few seconds per epoch on one core."""
    label = str(data_dir / "label.txt")
    return [
        f"Global.save_model_dir={save_dir}", f"Global.epoch_num={epochs}", "Global.print_batch_step=1",
        "Global.eval_batch_step=[0,0]", "Global.infer_img=None", "Global.to_static=false",
        "Architecture.Neck.out_channels=32",
        f"Train.dataset.data_dir={data_dir}", f"Train.dataset.label_file_list=[{label}]",
        f"Eval.dataset.data_dir={data_dir}", f"Eval.dataset.label_file_list=[{label}]",
        "Train.loader.batch_size_per_card=2", "Train.loader.num_workers=0", "Eval.loader.num_workers=0",
        "Train.dataset.transforms.3.EastRandomCropData.size=[128,128]",
        "Eval.dataset.transforms.2.DetResizeForTest.image_shape=[256,256]",
    ]


def check_rec_crop(crop, max_len: int, min_height: int, max_height: int) -> None:
    """A generated recognition crop: a label of 1..max_len dictionary characters, a uint8 RGB image of a height
    in [min_height, max_height]."""
    from ppocr.synth import DEFAULT_CHARSET

    assert 0 < len(crop.text) <= max_len and set(crop.text) <= set(DEFAULT_CHARSET), crop.text
    assert crop.image.dtype.name == "uint8" and crop.image.ndim == 3 and crop.image.shape[2] == 3
    assert min_height <= crop.image.shape[0] <= max_height, crop.image.shape


def run_tool(*args, cwd=ROOT, timeout=600, check=True) -> subprocess.CompletedProcess:
    """Run a repo tool with this interpreter; return the finished process (stdout+stderr in .stdout)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args[0]} exited {proc.returncode}:\n{proc.stdout[-3000:]}")
    return proc
