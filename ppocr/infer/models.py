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
# Crops read as dense text are read again this much wider (ppocr/infer/rec.py, TextRecognizer): chosen on
# generated lines, where it lifted the shipped recognizer's word accuracy most for the least extra work.
DEFAULT_STRETCH_RETRY = 1.3
# Background added left and right of every crop given to the recognizer alone, as a fraction of its height
# (ppocr/infer/rec.py): generated training crops have a few pixels of margin, and a character touching the
# edge of a tight crop is misread (a full stop read as a comma, a final hyphen dropped). Chosen on generated
# lines cut tight at their ink (0.887 -> 0.909 when chosen); the system's crops come from unclipped detector boxes and
# get none (0.1 lowered word F1 on generated pages from 0.963 to 0.958).
DEFAULT_CROP_MARGIN = 0.1
# Decoding with the model folder's character language model (ppocr/postprocess/ctc.py): its weight, the
# reward per word character that balances it, and the number of readings kept. Chosen on generated data
# with the shipped recognizer, by the mean word accuracy over nine crop sets (among them English prose and
# receipt codes that the model's counts never saw; weights 0.3-0.6, rewards 1.5-3, beams 4-16): weights
# 0.4-0.5 with rewards 1.5-2.5 all read 0.830-0.831 (0.3 with 1.5: 0.825), and 0.4 with 1.5 costs least on
# the codes (no language model 0.709, 0.4 / 1.5 0.687, 0.5 / 2.5 0.665): the model pulls unfamiliar letter
# strings toward words. On six page sets 0.4 with 1.5 and with 2.0 read alike (mean word F1 0.916, 0.917).
# Higher rewards insert characters.
DEFAULT_LM_WEIGHT = 0.4
DEFAULT_LM_BONUS = 1.5
DEFAULT_BEAM = 8
