"""Evaluate a checkpoint on the Eval set: python3 tools/eval.py -c CONFIG -o Global.checkpoints=OUTPUT_DIR/best_accuracy

An exported model is evaluated with -o Global.pretrained_model=INFERENCE_DIR (the config it was trained with).
"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    args = config_parser(__doc__).parse_args()
    config = config_from_args(args)
    from ppocr.data.loader import build_dataloader
    from ppocr.engine.checkpoint import load_checkpoint, load_pretrained
    from ppocr.engine.runtime import build_components, build_shared, evaluate, setup_runtime
    from ppocr.errors import ConfigError
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    ckpt = config["Global"].get("checkpoints") or config["Global"].get("pretrained_model")
    if not ckpt:
        raise ConfigError("set the weights to evaluate: -o Global.checkpoints=OUTPUT_DIR/best_accuracy")
    setup_runtime(config)
    shared = build_shared(config)
    model, post_process, metric = build_components(config, shared)
    if config["Global"].get("checkpoints"):
        load_checkpoint(ckpt, model)
    else:
        load_pretrained(ckpt, model, strict=True)  # a checkpoint or an exported model
    loader = build_dataloader(config, "Eval", shared)[0]
    result = evaluate(model, loader, post_process, metric)
    logger.info(f"metric of {ckpt}:")
    for k, v in result.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    run_cli(main)
