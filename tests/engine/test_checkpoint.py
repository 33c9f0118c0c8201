"""Checkpoint writes are all-or-nothing: a full disk or a SIGKILL in the middle of a save leaves the previous
checkpoint complete and loadable."""
import errno
import os
import signal
import subprocess
import sys

import numpy as np
import paddle
import pytest

from ppocr.engine import checkpoint
from ppocr.engine.checkpoint import CheckpointWriteError, load_checkpoint, save_checkpoint
from tests.conftest import ROOT


def model_and_optimizer(seed):
    paddle.seed(seed)
    model = paddle.nn.Linear(4, 3)
    return model, paddle.optimizer.Adam(parameters=model.parameters())


def snapshot(prefix):
    return {s: open(str(prefix) + s, "rb").read() for s in (".pdparams", ".pdopt", ".states")}


def test_full_disk_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    prefix = str(tmp_path / "latest")
    model, opt = model_and_optimizer(0)
    save_checkpoint(prefix, model, opt, {"global_step": 1})
    before = snapshot(prefix)
    real_save = paddle.save

    def save_until_full(obj, path):
        if ".pdopt" in path:  # the weights went through; the disk fills up on the optimizer state
            with open(path, "wb") as f:
                f.write(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(obj, path)

    monkeypatch.setattr(checkpoint.paddle, "save", save_until_full)
    model2, opt2 = model_and_optimizer(1)
    with pytest.raises(CheckpointWriteError, match=r"latest\.pdopt: No space left on device; the previous "
                                                   r"checkpoint is kept"):
        save_checkpoint(prefix, model2, opt2, {"global_step": 2})
    assert snapshot(prefix) == before  # not even the weights were replaced
    assert sorted(os.listdir(tmp_path)) == ["latest.pdopt", "latest.pdparams", "latest.states"]


KILLED_WRITER = """
import sys, time
sys.path.insert(0, {root!r})
import paddle
from ppocr.engine import checkpoint
paddle.seed(1)
model = paddle.nn.Linear(4, 3)
real_save = paddle.save
def slow_save(obj, path):
    with open(path, "wb") as f:
        f.write(b"half a file")
        f.flush()
    print("writing", flush=True)
    time.sleep(60)
checkpoint.paddle.save = slow_save
checkpoint.save_checkpoint({prefix!r}, model, None, {{"global_step": 2}})
"""


def test_sigkill_during_a_write_leaves_the_previous_checkpoint_loadable(tmp_path):
    prefix = str(tmp_path / "latest")
    model, opt = model_and_optimizer(0)
    save_checkpoint(prefix, model, opt, {"global_step": 1})
    expected = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER.format(root=str(ROOT), prefix=prefix))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    fresh, fresh_opt = model_and_optimizer(5)
    states = load_checkpoint(prefix, fresh, fresh_opt)
    assert states["global_step"] == 1
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), expected[k])


def test_average_checkpoints_weighs_each_tensor(tmp_path):
    paddle.seed(0)
    a, b = paddle.nn.Linear(3, 2), paddle.nn.Linear(3, 2)
    save_checkpoint(str(tmp_path / "a"), a)
    save_checkpoint(str(tmp_path / "b"), b)
    soup = checkpoint.average_checkpoints([str(tmp_path / "a"), str(tmp_path / "b.pdparams")], [1, 3])
    for name, tensor in soup.items():
        expected = 0.25 * a.state_dict()[name].numpy() + 0.75 * b.state_dict()[name].numpy()
        np.testing.assert_allclose(tensor.numpy(), expected, rtol=1e-6)
    # The soup is a checkpoint like any other: it loads into the same architecture.
    checkpoint.save_weights(str(tmp_path / "soup"), soup)
    model = paddle.nn.Linear(3, 2)
    load_checkpoint(str(tmp_path / "soup"), model)
    np.testing.assert_allclose(model.weight.numpy(), soup["weight"].numpy())
    # the command line writes the same soup
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "average_checkpoints.py"), "--checkpoints",
                          str(tmp_path / "a"), str(tmp_path / "b"), "--weights", "1", "3", "--out",
                          str(tmp_path / "cli" / "soup")], capture_output=True, text=True)
    assert out.returncode == 0 and "the mean of 2 checkpoints weighted [1.0, 3.0]" in out.stderr, out.stderr
    written = paddle.load(str(tmp_path / "cli" / "soup.pdparams"))
    for name, tensor in soup.items():
        np.testing.assert_allclose(written[name].numpy(), tensor.numpy(), rtol=1e-6)


def test_average_checkpoints_refuses_other_architectures_and_bad_weights(tmp_path):
    save_checkpoint(str(tmp_path / "a"), paddle.nn.Linear(3, 2))
    save_checkpoint(str(tmp_path / "wide"), paddle.nn.Linear(3, 4))
    with pytest.raises(checkpoint.CheckpointMismatch, match="wide"):
        checkpoint.average_checkpoints([str(tmp_path / "a"), str(tmp_path / "wide")])
    with pytest.raises(ValueError, match="one non-negative weight per checkpoint"):
        checkpoint.average_checkpoints([str(tmp_path / "a"), str(tmp_path / "a")], [1.0])
    with pytest.raises(FileNotFoundError, match="missing.pdparams"):
        checkpoint.average_checkpoints([str(tmp_path / "a"), str(tmp_path / "missing")])
    cli = [sys.executable, os.path.join(ROOT, "tools", "average_checkpoints.py"), "--checkpoints",
           str(tmp_path / "a"), str(tmp_path / "wide"), "--out", str(tmp_path / "soup")]
    out = subprocess.run(cli, capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "does not fit" in out.stderr
    out = subprocess.run(cli[:-2] + ["--weights", "1", "--out", str(tmp_path / "soup")], capture_output=True, text=True)
    assert out.returncode == 2 and "one per checkpoint" in out.stderr


def test_strict_pretrained_loading_refuses_what_a_lenient_one_skips(tmp_path):
    saved = paddle.nn.Linear(3, 2)
    save_checkpoint(str(tmp_path / "a"), saved)
    wide = paddle.nn.Linear(3, 4)
    before = wide.weight.numpy().copy()
    checkpoint.load_pretrained(str(tmp_path / "a"), wide)  # fine-tuning: weights of other shapes are skipped
    np.testing.assert_array_equal(wide.weight.numpy(), before)
    with pytest.raises(checkpoint.CheckpointMismatch, match="other shapes"):
        checkpoint.load_pretrained(str(tmp_path / "a"), wide, strict=True)
    same = paddle.nn.Linear(3, 2)
    checkpoint.load_pretrained(str(tmp_path / "a"), same, strict=True)
    np.testing.assert_array_equal(same.weight.numpy(), saved.weight.numpy())
    np.testing.assert_array_equal(same.bias.numpy(), saved.bias.numpy())
