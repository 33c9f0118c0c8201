"""The training loop: logging, evaluation, best/latest checkpoints, exact resume, SIGINT handling."""
from __future__ import annotations

import datetime
import logging
import math
import os
import signal
import time
from collections import deque
from typing import Any, Dict, Optional

import paddle

from ppocr.data.loader import build_dataloader
from ppocr.engine.checkpoint import load_checkpoint, load_pretrained, save_checkpoint
from ppocr.engine.distributed import init_process_group, max_over_ranks
from ppocr.engine.runtime import build_components, build_shared, evaluate, setup_runtime, unpack_batch
from ppocr.errors import NonFiniteLossError, StopRequested, TooManyBadSamples
from ppocr.losses import build_loss
from ppocr.metrics import build_metric
from ppocr.optimizer import build_optimizer
from ppocr.utils.config import save_config
from ppocr.utils.logging import start_log_file

logger = logging.getLogger("ppocr")
STOP_TIME, STOP_SIGNAL = 1, 2  # why training stops early, agreed over ranks (a signal wins)


class SmoothedValues:
    def __init__(self, window: int):
        self.values: Dict[str, deque] = {}
        self.window = window

    def update(self, items: Dict[str, float]) -> None:
        for k, v in items.items():
            self.values.setdefault(k, deque(maxlen=self.window)).append(v)

    def text(self) -> str:
        return ", ".join(f"{k}: {sum(v) / len(v):.5f}" for k, v in self.values.items())


def default_amp_dtype(g: Dict[str, Any]) -> str:
    """bfloat16 on CPU (AVX-512 BF16), float16 on GPU, unless Global.amp_dtype says otherwise."""
    return g.get("amp_dtype") or ("float16" if paddle.device.get_device().startswith("gpu") else "bfloat16")


class TrainStep:
    """One optimisation step (forward, loss, backward, update, LR step); also used by the speed benchmark."""

    def __init__(self, model, loss_fn, optimizer, lr, to_static: bool = False, amp_dtype: Optional[str] = None,
                 needs_targets: Optional[bool] = None):
        # Compile the bound forward, not the Layer: to_static on a Layer replaces its forward in place, and
        # evaluation on pages of every size would then trace a new program for each input shape.
        self.forward = paddle.jit.to_static(model.forward, full_graph=True) if to_static else model
        # A paddle.DataParallel wrapper hides the model's attributes: the caller then says it explicitly.
        self.needs_targets = bool(getattr(model, "needs_targets", False) if needs_targets is None else needs_targets)
        self.loss_fn, self.optimizer, self.lr, self.amp_dtype = loss_fn, optimizer, lr, amp_dtype
        self.last_preds = None  # kept for Global.cal_metric_during_train

    def _predict(self, fields):
        return self.forward(fields[0], fields[1:]) if self.needs_targets else self.forward(fields[0])

    def __call__(self, fields) -> Dict[str, float]:
        if self.amp_dtype:
            with paddle.amp.auto_cast(dtype=self.amp_dtype, level="O1"):
                preds = self._predict(fields)
            preds = {k: v.astype("float32") for k, v in preds.items()}
        else:
            preds = self._predict(fields)
        losses = self.loss_fn(preds, fields)
        value = losses["loss"].item()
        if not math.isfinite(value):
            raise NonFiniteLossError(f"loss is {value}")
        losses["loss"].backward()
        self.last_preds = {k: v.detach() for k, v in preds.items()}
        self.optimizer.step()
        self.optimizer.clear_grad()
        self.lr.step()
        return {k: v.item() for k, v in losses.items()}


class Trainer:
    def __init__(self, config: Dict[str, Any]):
        self.config = config
        g = config["Global"]
        self.rank, self.world_size = init_process_group()
        self.is_main = self.rank == 0  # only the first process logs, evaluates and saves
        self.save_dir = g.get("save_model_dir") or "./output"
        setup_runtime(config)
        self.epochs = int(g.get("epoch_num", 1))
        self.print_step = max(1, int(g.get("print_batch_step", 10)))
        eval_step = g.get("eval_batch_step", [0, 0]) or [0, 0]
        self.eval_start, self.eval_every = (eval_step if isinstance(eval_step, list) else [0, eval_step])[:2]
        self.save_epoch_step = int(g.get("save_epoch_step") or 0)
        self.save_latest_step = int(g.get("save_latest_step") or 0)
        self.max_bad_ratio = float(g.get("max_bad_ratio", 0.2))
        self.max_train_seconds = 60 * float(g.get("max_train_minutes") or 0)
        self.smooth = SmoothedValues(int(g.get("log_smooth_window", 20)))

        shared = build_shared(config)
        self.train_loader, self.train_set, self.sampler = build_dataloader(config, "Train", shared, self.rank,
                                                                           self.world_size)
        self.eval_loader = build_dataloader(config, "Eval", shared)[0] if config.get("Eval") and self.is_main \
            else None
        self.model, self.post_process, self.metric = build_components(config, shared)
        self.loss_fn = build_loss(config["Loss"])
        self.steps_per_epoch = len(self.sampler)
        if self.steps_per_epoch == 0:
            raise ValueError("the training set is smaller than one batch: lower Train.loader.batch_size_per_card")
        self.optimizer, self.lr = build_optimizer(config["Optimizer"], self.epochs, self.steps_per_epoch,
                                                  self.model.parameters())
        to_static = bool(g.get("to_static"))
        train_model = self.model
        if self.world_size > 1:
            train_model = paddle.DataParallel(self.model)
            to_static = False  # the DataParallel wrapper runs in dygraph
            self._log_data_parallel(config)
        self.step = TrainStep(train_model, self.loss_fn, self.optimizer, self.lr, to_static,
                              default_amp_dtype(g) if g.get("use_amp") else None, self.model.needs_targets)
        self.main_indicator = getattr(self.metric, "main_indicator", None)
        # Training-batch metric at each log line (recognition, classification: decoding is cheap next to a step).
        decodes = config["Architecture"].get("model_type") in ("rec", "cls")
        self.train_metric = (build_metric(config["Metric"]) if g.get("cal_metric_during_train") and decodes and
                             config.get("Metric") else None)
        self.state = {"epoch": 0, "step_in_epoch": 0, "global_step": 0, "best_metric": {}, "best_epoch": None}
        self._stop_signal: Optional[int] = None
        self._restore(g, shared.get("character"))
        # Everything is checked and built: only now is save_model_dir written (a run that fails to start
        # leaves an existing run's config.yml and train.log as they were).
        if self.is_main:
            os.makedirs(self.save_dir, exist_ok=True)
            start_log_file(os.path.join(self.save_dir, "train.log"))
            save_config(config, os.path.join(self.save_dir, "config.yml"))

    # ----- state -----------------------------------------------------------------------------------------
    def _restore(self, g: Dict[str, Any], character=None) -> None:
        if g.get("checkpoints"):
            states = load_checkpoint(g["checkpoints"], self.model, self.optimizer)
            self.state.update({k: states[k] for k in self.state if k in states})
            if "lr" in states:
                self.lr.set_state_dict(states["lr"])
            logger.info(f"resumed from {g['checkpoints']}: epoch {self.state['epoch'] + 1}, step in epoch "
                        f"{self.state['step_in_epoch']}, global step {self.state['global_step']}, lr "
                        f"{self.optimizer.get_lr():.6g}, best {self._fmt(self.state['best_metric']) or 'none yet'}")
        elif g.get("pretrained_model"):
            load_pretrained(g["pretrained_model"], self.model,
                            classes=character.classes if character is not None else None)

    def _log_data_parallel(self, config: Dict[str, Any]) -> None:
        batch = self.sampler.batch_size
        lr = config["Optimizer"].get("lr", {}).get("learning_rate")
        logger.info(f"data-parallel over {self.world_size} processes: effective batch {batch * self.world_size} "
                    f"({self.world_size} x {batch}), {self.steps_per_epoch} steps per epoch each; the learning "
                    f"rate is used as configured ({lr}): scale it yourself if the larger batch needs it (the "
                    f"linear rule would give {lr} x {self.world_size})")

    def _save(self, name: str) -> None:
        if not self.is_main:
            return
        states = dict(self.state, lr=self.lr.state_dict())
        save_checkpoint(os.path.join(self.save_dir, name), self.model, self.optimizer, states)

    @staticmethod
    def _fmt(metric: Dict[str, Any]) -> str:
        return ", ".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in metric.items())

    # ----- signals ---------------------------------------------------------------------------------------
    def _on_signal(self, signum, frame) -> None:
        if self._stop_signal is not None:  # second Ctrl-C: stop now
            raise KeyboardInterrupt
        self._stop_signal = signum
        logger.warning(f"received {signal.Signals(signum).name}: saving 'latest' after this step, then exiting "
                       f"(press Ctrl-C again to abort without saving)")

    # ----- loop ------------------------------------------------------------------------------------------
    def train(self) -> Dict[str, Any]:
        old = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._train_epochs()
        except StopRequested:
            logger.info(f"saved {os.path.join(self.save_dir, 'latest')}; resume with "
                        f"-o Global.checkpoints={os.path.join(self.save_dir, 'latest')}")
            raise
        finally:
            for s, h in old.items():
                signal.signal(s, h)
        return self.state

    def _train_epochs(self) -> None:
        n_samples = len(self.train_set)
        batch_size = self.sampler.batch_size
        logger.info(f"training {self.epochs} epochs x {self.steps_per_epoch} steps ({n_samples} samples, "
                    f"batch {batch_size}); artefacts in {self.save_dir}")
        total_steps = self.epochs * self.steps_per_epoch
        start_time, start_step = time.time(), self.state["global_step"]
        from tqdm import tqdm
        bar = tqdm(total=total_steps, initial=start_step, disable=not os.isatty(2), dynamic_ncols=True, leave=False)
        last_eval_step = -1
        self.model.train()
        for epoch in range(self.state["epoch"], self.epochs):
            self.state["epoch"] = epoch
            self.sampler.set_epoch(epoch, self.state["step_in_epoch"])
            skipped, seen, reader_start = 0, 0, time.time()
            reader_cost = 0.0
            for batch in self.train_loader:
                reader_cost += time.time() - reader_start
                fields, indices, n_bad = unpack_batch(batch)
                skipped += n_bad
                seen += n_bad
                if fields is None:
                    continue
                seen += len(indices)
                losses = self._step(fields, indices)
                self.state["global_step"] += 1
                self.state["step_in_epoch"] += 1
                step = self.state["global_step"]
                self.smooth.update(losses)
                bar.update(1)
                if step % self.print_step == 0 or self.state["step_in_epoch"] == self.steps_per_epoch:
                    elapsed = time.time() - start_time
                    rate = (step - start_step) * batch_size * self.world_size / max(elapsed, 1e-9)
                    eta = (total_steps - step) * elapsed / max(step - start_step, 1)
                    logger.info(f"epoch: [{epoch + 1}/{self.epochs}], global_step: {step}, lr: "
                                f"{self.optimizer.get_lr():.6f}, {self.smooth.text()}{self._batch_metric(fields)}, "
                                f"reader_cost: "
                                f"{reader_cost / self.print_step:.3f}s, samples/s: {rate:.2f}, "
                                f"eta: {datetime.timedelta(seconds=int(eta))}")
                    reader_cost = 0.0
                if self.eval_loader is not None and self.eval_every and step >= self.eval_start \
                        and step % self.eval_every == 0:
                    self._evaluate_and_save(epoch)
                    last_eval_step = step
                elif self.save_latest_step and step % self.save_latest_step == 0:
                    self._save("latest")
                out_of_time = bool(self.max_train_seconds) and time.time() - start_time >= self.max_train_seconds
                stop = max_over_ranks(STOP_SIGNAL if self._stop_signal is not None else
                                      STOP_TIME if out_of_time else 0, self.world_size)
                if stop == STOP_SIGNAL:
                    self._save("latest")
                    raise StopRequested()
                if stop == STOP_TIME:
                    break
                reader_start = time.time()
            else:
                self._finish_epoch(epoch, skipped, seen)
                continue
            self._save("latest")
            logger.info(f"Global.max_train_minutes reached after {step - start_step} steps of this run: stopping "
                        f"(resume with -o Global.checkpoints={os.path.join(self.save_dir, 'latest')})")
            break
        bar.close()
        if self.eval_loader is not None and last_eval_step != self.state["global_step"]:
            self._evaluate_and_save(self.epochs - 1)
        logger.info(f"training done: {self.state['global_step']} steps; best "
                    f"{self._fmt(self.state['best_metric']) or '(no eval)'}")

    def _step(self, fields, indices) -> Dict[str, float]:
        try:
            return self.step(fields)
        except NonFiniteLossError as e:
            names = [self.train_set.samples[i].source for i in indices]
            raise NonFiniteLossError(f"{e} at global step {self.state['global_step'] + 1}; batch from "
                                     f"{', '.join(names)}. Lower Optimizer.lr.learning_rate or check these "
                                     f"samples.") from None

    def _batch_metric(self, fields) -> str:
        """``, acc: ...`` on the last training batch when Global.cal_metric_during_train is set."""
        if self.train_metric is None or self.step.last_preds is None:
            return ""
        self.train_metric(self.post_process(self.step.last_preds, fields[1].numpy()), fields)
        return ", " + self._fmt(self.train_metric.get_metric())

    def _finish_epoch(self, epoch: int, skipped: int, seen: int) -> None:
        self.state["epoch"], self.state["step_in_epoch"] = epoch + 1, 0
        if skipped:
            logger.warning(f"epoch {epoch + 1}: {skipped} of {seen} samples skipped as unreadable or unusable "
                           f"(see warnings above)")
            if seen and skipped / seen > self.max_bad_ratio:
                raise TooManyBadSamples(f"more than {self.max_bad_ratio:.0%} of the samples failed in epoch "
                                   f"{epoch + 1}; fix the data (tools/check_data.py) or raise Global.max_bad_ratio")
        self._save("latest")
        if self.save_epoch_step and (epoch + 1) % self.save_epoch_step == 0:
            self._save(f"iter_epoch_{epoch + 1}")
            logger.info(f"saved {os.path.join(self.save_dir, f'iter_epoch_{epoch + 1}')}")

    def _evaluate_and_save(self, epoch: int) -> None:
        metric = evaluate(self.model, self.eval_loader, self.post_process, self.metric)
        best = self.state["best_metric"]
        key = self.main_indicator
        improved = not best or (key in metric and metric[key] > best.get(key, -1))
        if improved:
            self.state["best_metric"], self.state["best_epoch"] = dict(metric), epoch + 1
            self._save("best_accuracy")
        logger.info(f"eval at step {self.state['global_step']}: {self._fmt(metric)}"
                    f"{' (new best, saved best_accuracy)' if improved else ''}; best so far: "
                    f"{self._fmt(self.state['best_metric'])} (epoch {self.state['best_epoch']})")
        self._save("latest")


def setup_train_logging() -> None:
    """Console on every process (the others report only problems in data-parallel runs); the main process
    also writes ``save_model_dir/train.log`` once the Trainer has started, with the lines before."""
    from ppocr.engine.distributed import is_main_process
    from ppocr.utils.logging import get_logger, hold_log_lines

    if is_main_process():
        get_logger()
        hold_log_lines()
    else:
        get_logger(level=logging.WARNING)


def train(config: Dict[str, Any]) -> Dict[str, Any]:
    return Trainer(config).train()
