"""Inference on exported models (``paddle.inference``) and on dygraph checkpoints, sharing one pipeline."""
