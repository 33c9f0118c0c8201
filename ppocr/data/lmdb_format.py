"""PaddleOCR's LMDB layout for recognition data, written by the generator and read by LMDBDataSet: samples
numbered from 1, ``image-%09d`` (the encoded image), ``label-%09d`` (UTF-8 text) and ``num-samples``."""
NUM_SAMPLES_KEY = b"num-samples"


def image_key(index: int) -> bytes:
    return b"image-%09d" % int(index)


def label_key(index: int) -> bytes:
    return b"label-%09d" % int(index)
