"""A regular (not editable) install works from any folder: the package, its console scripts, and the shipped
models and fonts it finds in the install's share folder (ppocr/resources.py)."""
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHIPPED


@pytest.mark.skipif(not SHIPPED, reason="shipped models missing")
def test_pip_install_then_ppocr_system_from_another_folder(tmp_path):
    prefix = tmp_path / "prefix"
    # --ignore-installed: leave the environment's own (editable) install of the package alone
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--ignore-installed", "--prefix", str(prefix), str(ROOT)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout
    site = prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    share = prefix / "share" / "ppocr-lite"
    assert (share / "inference" / "det_mv3_db_en" / "inference.yml").is_file()
    assert (share / "doc" / "fonts" / "DejaVuSans.ttf").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site))  # the installed copy, not the checkout
    env.pop("PPOCR_HOME", None)
    where = subprocess.run([sys.executable, "-c", "import ppocr.resources as r; print(r.__file__, r.resource_root())"],
                           cwd=elsewhere, env=env, stdout=subprocess.PIPE, text=True, check=True).stdout.split()
    assert where == [str(site / "ppocr" / "resources.py"), str(share)]
    run = subprocess.run([str(prefix / "bin" / "ppocr-system"), f"--image_dir={ROOT / 'doc' / 'imgs' / 'sign_1.jpg'}"],
                         cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout
    assert "TAKEN" in run.stdout and str(share / "inference" / "det_mv3_db_en") in run.stdout
    assert (elsewhere / "inference_results" / "sign_1.jpg").is_file()
