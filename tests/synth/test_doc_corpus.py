"""tools/doc_corpus.py: the train/eval split by document and the licences read from a package's copyright file
(the download itself needs Debian's package servers and is not run here)."""
import importlib.util

from tests.conftest import ROOT


def load_tool():
    spec = importlib.util.spec_from_file_location("doc_corpus", ROOT / "tools" / "doc_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_documents_split_by_path_about_one_in_ten_to_eval():
    tool = load_tool()
    paths = [f"pkgs/texlive-doc/manual_{i}.pdf" for i in range(2000)]
    parts = [tool.part_of(p) for p in paths]
    assert parts == [tool.part_of(p) for p in paths]  # the same file always lands in the same part
    assert 150 <= parts.count("eval") <= 250, parts.count("eval")


def test_licences_are_read_from_the_copyright_file(tmp_path):
    tool = load_tool()
    doc = tmp_path / "usr" / "share" / "doc" / "pkg-doc"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
                                   "Files: *\nLicense: LPPL-1.3c\n\nFiles: debian/*\nLicense: GPL-2+\n\n"
                                   "Files: extra/*\nLicense: LPPL-1.3c\n")
    assert tool.licences(str(tmp_path), "pkg-doc") == "LPPL-1.3c, GPL-2+"
    assert tool.licences(str(tmp_path), "other-doc") == "see the package's copyright file"
