"""The default models: the English detector and recognizer shipped in the repository's ``inference/`` folder.

They are found relative to the package, not the working directory, so ``predict_system.py`` and
``TextSystem()`` work from any folder without model flags.
"""
from pathlib import Path

INFERENCE_ROOT = Path(__file__).resolve().parents[2] / "inference"
DEFAULT_DET_MODEL_DIR = str(INFERENCE_ROOT / "det")
DEFAULT_REC_MODEL_DIR = str(INFERENCE_ROOT / "rec")
