"""pip install -e .  (or pip install .) — installs the ppocr package and the command-line entry points.

A regular install also copies the shipped models and the bundled fonts to <prefix>/share/ppocr-lite/, where
ppocr/resources.py finds them."""
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).resolve().parent
# The shipped models (ppocr/infer/models.py names them) and the bundled fonts, as data files.
SHIPPED_MODELS = ("det_mv3_db_en", "rec_mv3_crnn_latin", "rec_mv3_crnn_en", "cls_mv3_en")
data_files = [(f"share/ppocr-lite/inference/{name}",
               [str(p.relative_to(here)) for p in sorted((here / "inference" / name).iterdir())])
              for name in SHIPPED_MODELS]
fonts = sorted((here / "doc" / "fonts").iterdir())
data_files.append(("share/ppocr-lite/doc/fonts", [str(p.relative_to(here)) for p in fonts]))
requirements = [line.split("#")[0].strip() for line in (here / "requirements.txt").read_text().splitlines()]

setup(
    name="ppocr-lite",
    version="0.4.0",
    description="Train your own lightweight OCR (DB/EAST detection, CRNN-family recognition) with PaddlePaddle",
    long_description=(here / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["ppocr", "ppocr.*"]),
    package_data={"ppocr": ["utils/*.txt"]},
    data_files=data_files,
    install_requires=[r for r in requirements if r and not r.startswith(("pytest", "wheel"))],
    extras_require={"onnx": ["paddle2onnx==2.1.0", "onnxruntime==1.32.0"], "pdf": ["pypdfium2==5.15.2"],
                    "serve": ["fastapi==0.165.0", "uvicorn==0.55.0", "python-multipart==0.0.34",
                              "prometheus-client==0.26.0"]},
    entry_points={"console_scripts": [
        "ppocr-det=ppocr.infer.cli:console_det",
        "ppocr-rec=ppocr.infer.cli:console_rec",
        "ppocr-cls=ppocr.infer.cli:console_cls",
        "ppocr-system=ppocr.infer.cli:console_system",
        "ppocr-serve=ppocr.serving.cli:console_serve",
    ]},
)
