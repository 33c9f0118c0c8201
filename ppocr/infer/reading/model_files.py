"""Optional files that travel beside an exported recognizer (lexicon, language model), chosen by one spec."""
from __future__ import annotations

import os
from typing import Callable, Optional, Type, TypeVar, Union

T = TypeVar("T")


def resolve_model_file(spec: Union[str, T, None], model_dir: str, file_name: str, cls: Type[T],
                       load: Callable[[str], T]) -> Optional[T]:
    """``"auto"``: ``file_name`` in ``model_dir`` if there is one (else None); ``None``, ``"none"`` or ``""``:
    None; another string: that file, read with ``load``; an instance of ``cls``: itself."""
    if isinstance(spec, cls) or spec is None:
        return spec
    if spec.lower() in ("", "none"):
        return None
    if spec == "auto":
        path = os.path.join(model_dir, file_name)
        return load(path) if os.path.isfile(path) else None
    return load(spec)
