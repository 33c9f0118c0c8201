"""The training engine: loss goes down, exact resume after SIGKILL, SIGINT saves, bad data is counted."""
import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import paddle
import pytest

from ppocr.engine.trainer import NonFiniteLossError, Trainer
from ppocr.utils.config import load_merged_config
from tests.conftest import DET_CONFIG, ROOT, fast_det_overrides, run_tool


def states(path):
    with open(str(path) + ".states") as f:
        return json.load(f)


def test_loss_goes_down_on_a_tiny_dataset(det_data, tmp_path):
    opts = fast_det_overrides(det_data, tmp_path / "out", epochs=2) + ["Optimizer.lr.learning_rate=0.003"]
    trainer = Trainer(load_merged_config(DET_CONFIG, opts))
    fields = next(iter(trainer.train_loader))[:-2]  # one real batch of generated pages
    history = [trainer.step(fields)["loss"] for _ in range(10)]
    assert history[-1] < 0.85 * history[0] and max(history[5:]) < history[0], history
    trainer.train()
    # (train.log is written by tools/train.py's logging setup, checked in the signal test below)
    for name in ("config.yml", "latest.pdparams", "latest.pdopt", "latest.states", "best_accuracy.pdparams"):
        assert (tmp_path / "out" / name).is_file(), name
    assert states(tmp_path / "out" / "latest")["global_step"] == 6


def test_resume_after_sigkill_continues_at_saved_step_with_same_lr_and_best(det_data, tmp_path):
    out = tmp_path / "out"
    opts = fast_det_overrides(det_data, out, epochs=3) + [
        "Global.save_latest_step=1", "Global.eval_batch_step=[2,2]", "Optimizer.lr.name=Cosine",
        "Eval.dataset.transforms.2.DetResizeForTest.image_shape=[128,128]"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    console = tmp_path / "console.txt"
    with open(console, "w") as sink:
        proc = subprocess.Popen([sys.executable, "tools/train.py", "-c", DET_CONFIG, "-o", *opts], cwd=ROOT, env=env,
                                stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while True:  # kill it in epoch 2, mid-epoch, after an eval has set a best metric
        try:
            s = states(out / "latest")
            if s["global_step"] >= 4 and s["step_in_epoch"] >= 1 and s["best_metric"]:
                break
        except (OSError, ValueError, KeyError):
            pass
        if proc.poll() is not None or time.time() > deadline:  # a crash or a hang: fail with the trainer's log
            proc.kill()
            pytest.fail(f"train.py exited {proc.poll()} before the kill point:\n{console.read_text()[-3000:]}")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    saved = states(out / "latest")
    assert 0 < saved["step_in_epoch"] < 3, saved
    resumed = assert_resumes_exactly(out, opts, total_steps=9)
    resumed.train()
    assert resumed.state["global_step"] == 9 and resumed.state["epoch"] == 3


def assert_resumes_exactly(out, opts, total_steps):
    """A Trainer resumed from ``out/latest`` has the saved progress and best metric, the Cosine LR of the
    saved step, and will draw exactly the batches of the interrupted epoch not yet seen."""
    saved = states(out / "latest")
    resumed = Trainer(load_merged_config(DET_CONFIG, opts + [f"Global.checkpoints={out / 'latest'}"]))
    assert resumed.state["global_step"] == saved["global_step"]
    assert resumed.state["epoch"] == saved["epoch"] and resumed.state["step_in_epoch"] == saved["step_in_epoch"]
    assert resumed.state["best_metric"] == saved["best_metric"]
    # Cosine over all steps: at step k the rate is 0.001 * (1 + cos(pi k / total)) / 2.
    expected_lr = 0.001 * (1 + math.cos(math.pi * saved["global_step"] / total_steps)) / 2
    assert resumed.optimizer.get_lr() == pytest.approx(expected_lr, rel=1e-6)
    resumed.sampler.set_epoch(saved["epoch"], saved["step_in_epoch"])
    remaining = list(resumed.sampler)
    resumed.sampler.set_epoch(saved["epoch"])
    assert remaining == list(resumed.sampler)[saved["step_in_epoch"]:]
    return resumed


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_saves_latest_then_exits_and_resumes_exactly(det_data, tmp_path, signum):
    out = tmp_path / "out"
    opts = fast_det_overrides(det_data, out, epochs=50) + ["Optimizer.lr.name=Cosine"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "tools/train.py", "-c", DET_CONFIG, "-o", *opts], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while not (out / "latest.states").exists() and time.time() < deadline:  # wait for epoch 1 to finish
        time.sleep(0.05)
    first = states(out / "latest")["global_step"]
    time.sleep(1.0)
    proc.send_signal(signum)
    log, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, log[-2000:]
    assert f"received {signal.Signals(signum).name}" in log and "resume with -o Global.checkpoints=" in log
    assert f"received {signal.Signals(signum).name}" in (out / "train.log").read_text()  # the log file has it too
    assert states(out / "latest")["global_step"] > first
    assert_resumes_exactly(out, opts, total_steps=50 * 3)


def test_time_budget_stops_saves_and_evaluates(det_data, tmp_path, caplog):
    opts = fast_det_overrides(det_data, tmp_path / "out", epochs=50) + ["Global.max_train_minutes=0.0001"]
    trainer = Trainer(load_merged_config(DET_CONFIG, opts))
    with caplog.at_level("INFO", logger="ppocr"):
        state = trainer.train()
    assert state["global_step"] == 1 and state["epoch"] == 0 and state["step_in_epoch"] == 1
    assert states(tmp_path / "out" / "latest")["global_step"] == 1  # resumable mid-epoch
    assert "max_train_minutes reached after 1 steps" in caplog.text and "eval at step 1" in caplog.text


def test_non_finite_loss_stops_with_the_batch_files(det_data, tmp_path):
    trainer = Trainer(load_merged_config(DET_CONFIG, fast_det_overrides(det_data, tmp_path / "out")))
    trainer.step.loss_fn = lambda preds, batch: {"loss": paddle.to_tensor(float("nan")) * preds["maps"].sum()}
    with pytest.raises(NonFiniteLossError, match=r"loss is nan at global step 1; batch from .*label.txt:\d+"):
        trainer.train()


def test_broken_label_lines_are_skipped_counted_and_training_finishes(det_data, tmp_path):
    data = tmp_path / "d"
    import shutil

    shutil.copytree(det_data, data)
    good = (data / "label.txt").read_text().splitlines()
    lines = []
    for i in range(40):  # 40 lines, 2 broken (5%)
        lines.append(good[i % len(good)])
    lines[7] = lines[7].replace("\t", "    ", 1)
    lines[23] = lines[23][:-5]  # truncated JSON
    (data / "label.txt").write_text("\n".join(lines) + "\n")
    (data / "images" / "000005.jpg").write_bytes(b"corrupt")  # and one unreadable image at run time
    proc = run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *fast_det_overrides(data, tmp_path / "out"))
    log = proc.stdout
    assert "38 usable samples, 2 bad label lines skipped" in log
    assert "label.txt:8: no '\\t' separator" in log and "label.txt:24: bad JSON" in log
    assert "samples skipped as unreadable or unusable" in log and "training done" in log


def test_config_errors_are_one_clear_line(det_data, tmp_path):
    base = fast_det_overrides(det_data, tmp_path / "out")
    cases = {
        "Architecture.Backbone.name=MobileNetV2": "unknown det backbone 'MobileNetV2' at 'Architecture.Backbone'",
        "Global.epoch_nmu=3": "unknown key 'Global.epoch_nmu'. Did you mean 'epoch_num'?",
        "Architecture.Neck.out_channel=3": "unknown key 'Architecture.Neck.out_channel'",
        f"Train.dataset.data_dir={tmp_path / 'missing'}": "Train.dataset.data_dir: directory not found",
        "Loss.name=DBLos": "Did you mean 'DBLoss'?",
    }
    from ppocr.errors import ConfigError

    for override, message in cases.items():  # in-process: the error and its message
        with pytest.raises(ConfigError) as raised:
            Trainer(load_merged_config(DET_CONFIG, base + [override]))
        assert message in str(raised.value), (override, str(raised.value))
    # and as a user sees one: a single line on stderr, exit code 2, no traceback
    proc = run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *base, "Global.epoch_nmu=3", check=False)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
    assert proc.returncode == 2 and len(errors) == 1 and cases["Global.epoch_nmu=3"] in errors[0], proc.stdout
    assert "Traceback" not in proc.stdout


def test_optimizer_state_round_trips_across_processes_layer_names(tmp_path):
    from ppocr.engine.checkpoint import load_checkpoint, save_checkpoint
    from ppocr.optimizer import build_optimizer

    def make():
        model = paddle.nn.Sequential(paddle.nn.Linear(3, 4), paddle.nn.Linear(4, 1))
        opt, _ = build_optimizer({"name": "Adam", "lr": {"learning_rate": 0.1}}, 1, 10, model.parameters())
        return model, opt

    model, opt = make()
    model(paddle.rand([2, 3])).sum().backward()
    opt.step()
    save_checkpoint(str(tmp_path / "ck"), model, opt, {"global_step": 1})
    paddle.nn.Linear(1, 1)  # shifts Paddle's auto-generated tensor names
    model2, opt2 = make()
    assert load_checkpoint(str(tmp_path / "ck"), model2, opt2) == {"global_step": 1}
    from ppocr.engine.checkpoint import _portable_optimizer_state

    s1 = _portable_optimizer_state(opt.state_dict(), model)
    s2 = _portable_optimizer_state(opt2.state_dict(), model2)
    moments = [k for k in s1 if k.endswith("::moment1_0")]
    assert sorted(moments) == ["0.bias::moment1_0", "0.weight::moment1_0", "1.bias::moment1_0", "1.weight::moment1_0"]
    for key in moments:
        assert float((s1[key] - s2[key]).abs().max()) == 0.0 and float(s1[key].abs().max()) > 0


def test_pretrained_model_skips_mismatched_shapes_with_one_summary(tmp_path, caplog):
    import logging

    from ppocr.engine.checkpoint import load_pretrained, save_checkpoint
    from ppocr.modeling.architectures import build_model

    def db(neck_channels):
        return build_model({"model_type": "det", "algorithm": "DB",
                            "Backbone": {"name": "MobileNetV3", "scale": 0.5},
                            "Neck": {"name": "DBFPN", "out_channels": neck_channels}, "Head": {"name": "DBHead"}})

    source, target = db(32), db(64)
    save_checkpoint(str(tmp_path / "src"), source)
    with caplog.at_level(logging.INFO, logger="ppocr"):
        load_pretrained(str(tmp_path / "src"), target)
    lines = [r.getMessage() for r in caplog.records if "pretrained" in r.getMessage()]
    assert len(lines) == 1
    import re

    loaded, total, skipped = map(int, re.search(r"(\d+)/(\d+) tensors; skipped (\d+) with other shapes",
                                               lines[0]).groups())
    assert total == len(target.state_dict()) and loaded + skipped == total and skipped > 0
    assert loaded >= len(target.backbone.state_dict())
    backbone_src = source.backbone.state_dict()
    for k, v in target.backbone.state_dict().items():
        assert np.array_equal(v.numpy(), backbone_src[k].numpy())
    assert "lateral.0.weight [32, 16, 1, 1]->[64, 16, 1, 1]" in lines[0]


def test_to_static_step_matches_dygraph(det_data, tmp_path):
    from ppocr.engine.runtime import build_components
    from ppocr.engine.trainer import TrainStep
    from ppocr.losses import build_loss
    from ppocr.optimizer import build_optimizer

    cfg = load_merged_config(DET_CONFIG, fast_det_overrides(det_data, tmp_path / "o"))
    from ppocr.data.loader import build_dataloader

    fields = next(iter(build_dataloader(cfg, "Train")[0]))[:-2]
    losses = {}
    for mode in (False, True):
        paddle.seed(1)
        model = build_components(cfg)[0]
        opt, lr = build_optimizer(cfg["Optimizer"], 1, 10, model.parameters())
        step = TrainStep(model, build_loss(cfg["Loss"]), opt, lr, to_static=mode)
        losses[mode] = [step(fields)["loss"] for _ in range(2)]
    np.testing.assert_allclose(losses[True], losses[False], rtol=1e-4)
    # the compiled step leaves the model itself in dygraph, so that evaluating pages of many sizes does
    # not trace a program for each size
    from paddle.jit.dy2static.program_translator import StaticFunction
    assert not isinstance(model.forward, StaticFunction)


def test_best_accuracy_is_replaced_only_on_improvement_and_epochs_are_kept(det_data, tmp_path):
    # lr 0: the weights never change, so every evaluation scores the same and only the first one is "best"
    out = tmp_path / "out"
    opts = fast_det_overrides(det_data, out, epochs=2) + ["Global.eval_batch_step=[0,1]", "Global.save_epoch_step=1",
                                                          "Optimizer.lr.learning_rate=0.0"]
    Trainer(load_merged_config(DET_CONFIG, opts)).train()
    assert states(out / "best_accuracy")["global_step"] == 1 and states(out / "latest")["global_step"] == 6
    assert states(out / "iter_epoch_1")["global_step"] == 3 and states(out / "iter_epoch_2")["global_step"] == 6


def test_too_many_unreadable_samples_stop_training_with_one_line(det_data, tmp_path):
    import shutil

    from ppocr.errors import TooManyBadSamples

    data = tmp_path / "data"
    shutil.copytree(det_data, data)
    for name in ("000000.jpg", "000001.jpg"):  # 2 of 6 pages (33%) now fail to decode at run time
        (data / "images" / name).write_bytes(b"not a jpeg")
    trainer = Trainer(load_merged_config(DET_CONFIG, fast_det_overrides(data, tmp_path / "out")))
    with pytest.raises(TooManyBadSamples, match="more than 20% of the samples failed in epoch 1"):
        trainer.train()


def test_mixed_precision_training_lowers_the_loss(det_data, tmp_path):
    # bfloat16 autocast on CPU (float16 on a GPU): the same steps, a falling loss, float32 weights saved
    opts = fast_det_overrides(det_data, tmp_path / "out") + ["Global.use_amp=true", "Optimizer.lr.learning_rate=0.003"]
    trainer = Trainer(load_merged_config(DET_CONFIG, opts))
    fields = next(iter(trainer.train_loader))[:-2]
    history = [trainer.step(fields)["loss"] for _ in range(8)]
    assert all(math.isfinite(v) for v in history) and history[-1] < 0.9 * history[0], history
    assert all(p.dtype == paddle.float32 for p in trainer.model.parameters())
