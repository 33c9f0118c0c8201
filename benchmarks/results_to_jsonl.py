"""Convert det_results.txt / system_results.txt (``path\\t[{"transcription", "points", "score"}]``) into the
JSON-lines format of an external scorer: ``{"path": ..., "lines": [{"text", "points", "score"}]}``.

python3 benchmarks/results_to_jsonl.py inference_results/det_results.txt > preds.jsonl
"""
import json
import sys


def convert(lines):
    for line in lines:
        if not line.strip():
            continue
        path, items = line.rstrip("\n").split("\t", 1)
        yield {"path": path, "lines": [{"text": i.get("transcription", ""), "points": i["points"],
                                        "score": i.get("score", 1.0)} for i in json.loads(items)]}


if __name__ == "__main__":
    for name in sys.argv[1:] or ["-"]:
        with (sys.stdin if name == "-" else open(name, encoding="utf-8")) as f:
            for record in convert(f):
                print(json.dumps(record, ensure_ascii=False))
