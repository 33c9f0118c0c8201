"""Training throughput: full pipeline (data loading + step) vs the model step alone on random tensors.

Works for detection and recognition configs.

python3 benchmarks/train_speed.py -c configs/det/det_mv3_db.yml [-o ...] [--steps 6] [--modes dygraph,to_static,bf16]

Prints images/s per mode for the model step, and for the full pipeline with the config's DataLoader
(workers from Train.loader.num_workers). Uses the config's training crop size for the random tensors.
"""
import os
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, prepare_environment  # noqa: E402


def random_det_batch(batch_size: int, h: int, w: int, algorithm: str = "DB"):
    """DB: [image, threshold_map, threshold_mask, shrink_map, shrink_mask]; EAST: [image, score_map,
    geo_map, training_mask] at stride 4."""
    import numpy as np
    import paddle

    rng = np.random.RandomState(0)
    image = rng.randn(batch_size, 3, h, w)
    if algorithm == "EAST":
        mh, mw = h // 4, w // 4
        geo = rng.uniform(-50, 50, (batch_size, 9, mh, mw))
        geo[:, 8] = 1 / 20
        fields = [image, rng.rand(batch_size, 1, mh, mw) > 0.9, geo, np.ones((batch_size, 1, mh, mw))]
    else:
        shrink = (rng.rand(batch_size, h, w) > 0.9).astype("float32")
        fields = [image, rng.uniform(0.3, 0.7, (batch_size, h, w)), (rng.rand(batch_size, h, w) > 0.7), shrink,
                  np.ones((batch_size, h, w))]
    return [paddle.to_tensor(np.asarray(f, dtype="float32")) for f in fields]


def random_rec_batch(config, shared, batch_size: int):
    """Images at the RecResizeImg shape and labels of random dictionary text (4-10 characters)."""
    import numpy as np
    import paddle

    from ppocr.data.imaug import create_operators

    ops = config["Train"]["dataset"]["transforms"]
    c, h, w = next((op["RecResizeImg"] or {}).get("image_shape", [3, 32, 100]) for op in ops if "RecResizeImg" in op)
    encoder = create_operators([op for op in ops if any(k.endswith("LabelEncode") for k in op)],
                               "Train.dataset.transforms", shared)[0]
    rng = np.random.RandomState(0)
    chars = shared["character"].dict_chars
    encoded = [encoder({"label": "".join(rng.choice(chars, rng.randint(4, 11)))}) for _ in range(batch_size)]
    image = rng.uniform(-1, 1, (batch_size, c, h, w)).astype("float32")
    return [paddle.to_tensor(image), paddle.to_tensor(np.stack([e["label"] for e in encoded])),
            paddle.to_tensor(np.array([e["length"] for e in encoded], "int64"))]


def input_size(config):
    for op in config["Train"]["dataset"]["transforms"]:
        if "EastRandomCropData" in op:
            w, h = (op["EastRandomCropData"] or {}).get("size", [640, 640])
            return h, w
        if "RecResizeImg" in op:
            return tuple((op["RecResizeImg"] or {}).get("image_shape", [3, 32, 100])[1:])
    return 640, 640


def build_step(config, shared, mode: str):
    import paddle

    from ppocr.engine.runtime import build_components
    from ppocr.engine.trainer import TrainStep
    from ppocr.losses import build_loss
    from ppocr.optimizer import build_optimizer

    paddle.seed(0)
    model = build_components(config, shared)[0]
    model.train()
    optimizer, lr = build_optimizer(config["Optimizer"], 1, 1000, model.parameters())
    return TrainStep(model, build_loss(config["Loss"]), optimizer, lr, to_static=(mode == "to_static"),
                     amp_dtype="bfloat16" if mode == "bf16" else None)


def time_steps(step, batches, warmup: int) -> float:
    """Seconds per step after ``warmup`` steps."""
    t0 = None
    for i, fields in enumerate(batches):
        if i == warmup:
            t0 = time.perf_counter()
        step(fields)
    return (time.perf_counter() - t0) / (i + 1 - warmup)


def main():
    parser = config_parser(__doc__)
    parser.add_argument("--steps", type=int, default=6, help="timed steps per measurement")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--modes", default="dygraph,to_static,bf16", help="model-step modes to compare")
    parser.add_argument("--pipeline_mode", default=None, help="mode for the full-pipeline run (default: the "
                        "config's Global.to_static/use_amp)")
    args = parser.parse_args()
    prepare_environment()
    config = config_from_args(args)
    from ppocr.data.loader import build_dataloader
    from ppocr.engine.runtime import build_shared, setup_runtime, unpack_batch
    from ppocr.utils.logging import get_logger

    get_logger()
    threads = setup_runtime(config)
    bs = int(config["Train"]["loader"]["batch_size_per_card"])
    h, w = input_size(config)
    shared = build_shared(config)
    is_det = config["Architecture"]["model_type"] == "det"
    print(f"batch {bs}, input {h}x{w}, threads {threads}, "
          f"workers {config['Train']['loader'].get('num_workers', 0)}")
    rates = {}
    for mode in args.modes.split(","):
        fields = (random_det_batch(bs, h, w, config["Architecture"]["algorithm"]) if is_det
                  else random_rec_batch(config, shared, bs))
        sec = time_steps(build_step(config, shared, mode), [fields] * (args.warmup + args.steps), args.warmup)
        rates[mode] = bs / sec
        print(f"model step  {mode:10s} {sec:7.3f} s/step  {rates[mode]:7.2f} img/s")

    g = config["Global"]
    mode = args.pipeline_mode or ("to_static" if g.get("to_static") else "bf16" if g.get("use_amp") else "dygraph")
    loader, _, _ = build_dataloader(config, "Train", shared)
    step = build_step(config, shared, mode)

    def real_batches():
        n = 0
        while True:
            for batch in loader:
                fields, _, _ = unpack_batch(batch)
                if fields is not None and len(fields[0]) == bs:
                    yield fields
                    n += 1
                    if n == args.warmup + args.steps:
                        return

    sec = time_steps(step, real_batches(), args.warmup)
    full = bs / sec
    print(f"full pipeline {mode:10s} {sec:7.3f} s/step  {full:7.2f} img/s")
    if mode in rates:
        print(f"full pipeline / model-only ({mode}): {100 * full / rates[mode]:.0f}%")


if __name__ == "__main__":
    main()
