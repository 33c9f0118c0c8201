"""Data: label files and LMDB datasets (``loader``), transform ops (``imaug``), synthetic data (``synth``).

Kept import-free so that light tools (e.g. the data generator) do not pay for importing Paddle.
"""
