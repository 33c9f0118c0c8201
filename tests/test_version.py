"""The toolkit's version: one source (the package metadata from setup.py), printed by every command,
recorded in every export."""
import re
import subprocess
import sys
from pathlib import Path

import ppocr
from tests.conftest import ROOT


def test_the_version_comes_from_setup_py_and_the_changelog_has_its_entry():
    declared = re.search(r'version="([^"]+)"', (ROOT / "setup.py").read_text()).group(1)
    assert ppocr.__version__ == declared
    assert f"## [{declared}]" in (ROOT / "CHANGELOG.md").read_text()


def test_console_scripts_and_tools_print_it():
    expected = f"ppocr-lite {ppocr.__version__}"
    script = Path(sys.executable).parent / "ppocr-system"
    assert subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout.strip() == expected
    for tool in ("tools/train.py", "tools/infer/predict_cls.py", "tools/serve.py", "tools/gen_data.py"):
        out = subprocess.run([sys.executable, str(ROOT / tool), "--version"], capture_output=True, text=True)
        assert out.stdout.strip() == expected, (tool, out.stdout, out.stderr[-300:])
