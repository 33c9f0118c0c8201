"""Data: label files and LMDB datasets (``loader``), transform ops (``imaug``); the generator is ``ppocr.synth``.

Kept import-free so that light tools (e.g. the data generator) do not pay for importing Paddle.
"""
