"""The default models: the English detector and recognizer shipped in the repository's ``inference/`` folder.

They are found relative to the package, not the working directory, so ``predict_system.py`` and
``TextSystem()`` work from any folder without model flags.
"""
from pathlib import Path

INFERENCE_ROOT = Path(__file__).resolve().parents[2] / "inference"
# Named after their configs (configs/det/det_mv3_db_en.yml, configs/rec/rec_mv3_crnn_en.yml), so that exporting
# your own models to inference/det/ and inference/rec/, as the docs do, never overwrites the defaults.
DEFAULT_DET_MODEL_DIR = str(INFERENCE_ROOT / "det_mv3_db_en")
DEFAULT_REC_MODEL_DIR = str(INFERENCE_ROOT / "rec_mv3_crnn_en")
