"""Build a corpus of real documents from Debian's documentation packages, for tools/gen_data.py.

Each package is downloaded with `apt-get download` and unpacked with `dpkg -x` (nothing is installed, no
root needed), its PDF and HTML files are listed, and the files are split by a hash of their path into a
training and an evaluation part (about one file in ten), so that held-back pages come from other documents:

  OUT/pkgs/PACKAGE/...             the unpacked files
  OUT/train/, OUT/eval/            symbolic links to the PDFs of each part
  OUT/html_train/, OUT/html_eval/  the same for the HTML pages (the pdf and html kinds read one type each)
  OUT/MANIFEST.tsv                 part, path, package, version, licences (from the package's copyright file)

python3 tools/doc_corpus.py --out ./train_data/corpus
python3 tools/gen_data.py pdf --src ./train_data/corpus/train --out ./train_data/pdf_det/train --num 2000
python3 tools/gen_data.py html --src ./train_data/corpus/html_train --out ./train_data/html_det/train --num 2000
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402

# Typeset manuals, journal and thesis templates (publishers), font samples (many typefaces), science and
# humanities packages' documentation: PDFs made by TeX engines with many layouts and fonts. Then HTML manuals
# made by Sphinx, DocBook, Asciidoc and hand-written pages, each with its own style sheet.
DEFAULT_PACKAGES = ("texlive-latex-base-doc", "texlive-latex-recommended-doc", "texlive-fonts-recommended-doc",
                    "texlive-fonts-extra-doc", "texlive-publishers-doc", "texlive-humanities-doc",
                    "texlive-science-doc", "python3.11-doc", "debian-reference-en", "postgresql-doc-15",
                    "git-doc", "sqlite3-doc", "gimp-help-en")
EXTENSIONS = {".pdf": "", ".html": "html_", ".htm": "html_"}  # file type -> prefix of its part folders
EVAL_SHARE = 10  # one file in this many goes to the evaluation part


def run(cmd: List[str], cwd: str) -> str:
    """Run ``cmd``; a failure is one clear error with the command's own message."""
    from ppocr.errors import ConfigError

    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise ConfigError(f"{' '.join(cmd)} failed: {proc.stdout.strip().splitlines()[-1:]}")
    return proc.stdout


def unpack(package: str, out: str) -> Tuple[str, str]:
    """Download and unpack ``package`` under ``out/pkgs``; return (its folder, its version)."""
    debs = os.path.join(out, "debs")
    os.makedirs(debs, exist_ok=True)
    found = [f for f in os.listdir(debs) if f.startswith(package + "_") and f.endswith(".deb")]
    if not found:
        run(["apt-get", "download", package], debs)
        found = [f for f in os.listdir(debs) if f.startswith(package + "_") and f.endswith(".deb")]
    deb = os.path.join(debs, sorted(found)[-1])
    version = deb.rsplit("_", 2)[1]
    target = os.path.join(out, "pkgs", package)
    if not os.path.isdir(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.rmtree(target + ".partial", ignore_errors=True)  # an unpacking that was interrupted
        run(["dpkg", "-x", deb, target + ".partial"], out)
        os.replace(target + ".partial", target)
    return target, version


def licences(folder: str, package: str) -> str:
    """The distinct License: names of the package's Debian copyright file."""
    path = os.path.join(folder, "usr", "share", "doc", package, "copyright")
    if not os.path.isfile(path):
        return "see the package's copyright file"
    text = open(path, encoding="utf-8", errors="replace").read()
    # Short names only: files not in the machine-readable format put prose after "License:".
    names = re.findall(r"^License:\s*(\S+(?:[ \t]\S+){0,3})[ \t]*$", text, re.M)
    return ", ".join(dict.fromkeys(n.strip() for n in names)) or "see the package's copyright file"


def part_of(relpath: str) -> str:
    digest = hashlib.sha1(relpath.encode("utf-8")).digest()
    return "eval" if digest[0] % EVAL_SHARE == 0 else "train"


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--out", default="./train_data/corpus", help="corpus folder (default %(default)s)")
    parser.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES),
                        help="Debian packages to take PDF and HTML files from (default: %(default)s)")
    args = parser.parse_args()
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    out = os.path.abspath(args.out)
    rows: List[Tuple[str, str, str, str, str]] = []
    counts: Dict[str, int] = {}
    for package in args.packages:
        folder, version = unpack(package, out)
        licence = licences(folder, package)
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                prefix = EXTENSIONS.get(os.path.splitext(name)[1].lower())
                if prefix is not None:
                    rel = os.path.relpath(os.path.join(root, name), out)
                    rows.append((prefix + part_of(rel), rel, package, version, licence))
        counts[package] = sum(r[2] == package for r in rows)
        logger.info(f"{package} {version}: {counts[package]} files ({licence})")
    for part, rel, *_ in rows:
        os.makedirs(os.path.join(out, part), exist_ok=True)
        link = os.path.join(out, part, hashlib.sha1(rel.encode()).hexdigest()[:12] + os.path.splitext(rel)[1])
        if not os.path.lexists(link):
            os.symlink(os.path.join(out, rel), link)
    with open(os.path.join(out, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write("part\tpath\tpackage\tversion\tlicences\n")
        f.writelines("\t".join(row) + "\n" for row in sorted(rows))
    parts = {part: sum(r[0] == part for r in rows) for part in sorted({r[0] for r in rows})}
    logger.info(f"{len(rows)} files: " + ", ".join(f"{n} in {out}/{part}" for part, n in parts.items())
                + f"; list in {out}/MANIFEST.tsv")
    return 0


if __name__ == "__main__":
    run_cli(main)
