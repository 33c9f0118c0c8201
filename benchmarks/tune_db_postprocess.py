"""Grid-search DBPostProcess settings on a labelled set: the network runs once per image, then every
combination of thresh / box_thresh / unclip_ratio / score_mode is scored with DetMetric.

python3 benchmarks/tune_db_postprocess.py -c OUTPUT_DIR/config.yml -o Global.checkpoints=OUTPUT_DIR/best_accuracy \\
    Eval.dataset.data_dir=VAL_DIR Eval.dataset.label_file_list=[VAL_DIR/label.txt]

Tune on a validation set that is not your final eval set, then put the winner in PostProcess.
"""
import itertools
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, prepare_environment  # noqa: E402


def main():
    parser = config_parser(__doc__)
    parser.add_argument("--thresh", default="0.3", help="comma-separated values")
    parser.add_argument("--box_thresh", default="0.3,0.4,0.5,0.6")
    parser.add_argument("--unclip_ratio", default="1.5,1.8,2.0")
    parser.add_argument("--score_mode", default="fast,slow")
    args = parser.parse_args()
    prepare_environment()
    config = config_from_args(args)
    import paddle

    from ppocr.data.loader import build_dataloader
    from ppocr.engine.checkpoint import load_checkpoint
    from ppocr.engine.runtime import build_components, setup_runtime, unpack_batch
    from ppocr.metrics.det_metric import DetMetric
    from ppocr.postprocess.db_postprocess import DBPostProcess
    from ppocr.utils.logging import get_logger

    get_logger()
    setup_runtime(config)
    model = build_components(config)[0]
    load_checkpoint(config["Global"]["checkpoints"], model)
    model.eval()
    cached = []
    with paddle.no_grad():
        for batch in build_dataloader(config, "Eval")[0]:
            fields, _, _ = unpack_batch(batch)
            if fields is not None:
                maps = model(fields[0])["maps"].numpy()
                cached.append(({"maps": maps}, [f.numpy() for f in fields]))
    floats = lambda s: [float(v) for v in s.split(",")]  # noqa: E731
    print(f"{len(cached)} images\nthresh box_thresh unclip score   precision recall hmean")
    rows = []
    for t, bt, u, mode in itertools.product(floats(args.thresh), floats(args.box_thresh),
                                            floats(args.unclip_ratio), args.score_mode.split(",")):
        post, metric = DBPostProcess(thresh=t, box_thresh=bt, unclip_ratio=u, score_mode=mode), DetMetric()
        for outs, fields in cached:
            metric(post(outs, fields[1]), fields)
        m = metric.get_metric()
        rows.append((m["hmean"], t, bt, u, mode))
        print(f"{t:6.2f} {bt:10.2f} {u:6.2f} {mode:5s}   {m['precision']:.4f}    {m['recall']:.4f} {m['hmean']:.4f}")
    best = max(rows)
    print(f"best: thresh={best[1]} box_thresh={best[2]} unclip_ratio={best[3]} score_mode={best[4]} "
          f"hmean={best[0]:.4f}")


if __name__ == "__main__":
    main()
