"""The default models: the detector, the Latin-script recognizer and the direction classifier shipped in the
repository's ``inference/`` folder (``inference/rec_mv3_crnn_en/``, the English-only recognizer the Latin one
was fine-tuned from, ships beside them).

They are found where ppocr/resources.py says (the repository, or an installed share folder), not in the working
directory, so ``predict_system.py`` and ``TextSystem.from_dirs()`` work from any folder without model flags.
"""
from ppocr.resources import resource_root

INFERENCE_ROOT = resource_root() / "inference"
# Named after their configs (configs/det/det_mv3_db_en.yml, configs/rec/rec_mv3_crnn_latin.yml,
# configs/cls/cls_mv3_en.yml), so that exporting your own models to inference/det/, inference/rec/ and
# inference/cls/, as the docs do, never overwrites the defaults.
DEFAULT_DET_MODEL_DIR = str(INFERENCE_ROOT / "det_mv3_db_en")
DEFAULT_REC_MODEL_DIR = str(INFERENCE_ROOT / "rec_mv3_crnn_latin")
DEFAULT_CLS_MODEL_DIR = str(INFERENCE_ROOT / "cls_mv3_en")
