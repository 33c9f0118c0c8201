"""pip install -e .  — installs the ppocr package and the command-line entry points."""
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
requirements = [line.split("#")[0].strip() for line in (here / "requirements.txt").read_text().splitlines()]

setup(
    name="ppocr-lite",
    version="0.1.0",
    description="Train your own lightweight OCR (DB/EAST detection, CRNN-family recognition) with PaddlePaddle",
    long_description=(here / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["ppocr", "ppocr.*"]),
    package_data={"ppocr": ["utils/*.txt"]},
    install_requires=[r for r in requirements if r and not r.startswith("pytest")],
    extras_require={"onnx": ["paddle2onnx==2.1.0", "onnxruntime==1.32.0"], "pdf": ["pypdfium2==5.15.2"]},
    entry_points={"console_scripts": [
        "ppocr-det=ppocr.infer.cli:console_det",
        "ppocr-rec=ppocr.infer.cli:console_rec",
        "ppocr-system=ppocr.infer.cli:console_system",
    ]},
)
