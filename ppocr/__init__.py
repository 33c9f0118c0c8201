"""ppocr: train and run lightweight OCR models with PaddlePaddle.

``from ppocr import TextSystem`` gives the two-stage OCR system over exported models. Imports are lazy,
so ``import ppocr`` has no side effects and does not load Paddle.
"""


def __getattr__(name):
    if name == "TextSystem":
        from ppocr.infer.system import TextSystem

        return TextSystem
    raise AttributeError(f"module 'ppocr' has no attribute {name!r}")
