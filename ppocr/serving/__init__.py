"""OCR over HTTP: PaddleOCR hubserving's API on FastAPI + uvicorn (``tools/serve.py``, ``ppocr-serve``)."""
