#!/usr/bin/env python3
"""Generate synthetic OCR training data.

  det: document-like pages + DIR/label.txt in PaddleOCR detection format
       (images/000000.jpg<TAB>[{"transcription": ..., "points": [[x,y]*4]}, ...]).
  rec: single-line text crops + DIR/label.txt (images/000000.jpg<TAB>text),
       or with --lmdb an LMDB at DIR/lmdb (num-samples, image-%09d, label-%09d).
  pdf: pages of your PDFs (--src), labelled from their text layer: det pages (--det, the default) or
       rec crops (--rec); the same as det/rec with --kinds pdf, which mixes them with generated kinds.
  html: screenshots of your local HTML pages (--src) in headless Chromium, labelled from the DOM: det
       pages or rec crops, as pdf; the same as --kinds html. Needs Debian's chromium and chromium-driver
       and `pip install -r requirements-html.txt`.

Examples:
  python3 tools/gen_data.py det --out train_data/synth_det --num 1000 --seed 1
  python3 tools/gen_data.py rec --out train_data/synth_rec --num 20000 --lmdb --workers 2
  python3 tools/gen_data.py pdf --src ./my_pdfs/ --out train_data/pdf_det --num 2000 --workers 2
  python3 tools/gen_data.py html --src ./my_site/ --out train_data/html_rec --num 20000 --rec --lmdb
  python3 tools/gen_data.py det --kinds pdf:2,html,document,receipt --src ./my_pdfs/ ./my_site/ \
      --out train_data/mix --num 3000
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ppocr.utils.cli import tool_parser  # noqa: E402

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface definition."""
    p = tool_parser(__doc__.split("\n\n")[0], prog="gen_data.py", epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("mode", choices=["det", "rec", "pdf", "html"],
                   help="det: full pages with boxes; rec: text-line crops; pdf / html: det pages or rec "
                        "crops of the PDFs / HTML pages given by --src")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder (created); images go to DIR/images, labels to DIR/label.txt")
    p.add_argument("--num", type=int, required=True, metavar="N",
                   help="number of images to generate")
    p.add_argument("--fonts", metavar="DIR", default=None,
                   help="folder searched recursively for .ttf/.otf/.ttc fonts "
                        "(default: doc/fonts and /usr/share/fonts; only doc/fonts when PPOCR_HERMETIC=1). "
                        "`make fonts` installs about 150 free fonts and the English word list")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed; the same seed gives byte-identical output (default 0)")
    p.add_argument("--lmdb", action="store_true",
                   help="rec only: write an LMDB at DIR/lmdb instead of files")
    p.add_argument("--level", choices=["line", "word"], default="line",
                   help="det only: one box per text line (default) or per word")
    p.add_argument("--max_len", type=int, default=25, metavar="L",
                   help="rec only: maximum characters per crop (default 25)")
    p.add_argument("--workers", type=int, default=1, metavar="K",
                   help="worker processes (default 1); output does not depend on K")
    p.add_argument("--kinds", default=None, metavar="KIND[:W],...",
                   help="what to render, with optional weights: document, receipt, screen, scene, "
                        "poster (headline-sized text), chart, diagram, pdf (pages of the --src PDFs), html "
                        "(screenshots of the --src HTML pages); "
                        "for rec also line (a single rendered line; the page kinds then give lines cut from "
                        "such pages), scan (two-level scanned print lines), sign (photographed sign words), "
                        "thermal (thermal-printed receipt lines) and idcard (machine-readable zones and "
                        "capitalised fields of identity documents). "
                        "Default: document for det, "
                        "line for rec. Example: document:3,receipt,screen,scene,chart")
    p.add_argument("--dict", default=None, metavar="FILE",
                   help="the recognizer's dictionary (one character per line, as Global.character_dict_path): "
                        "text is drawn from its characters and space, and pdf/html lines holding others become "
                        "### in det labels and are left out of rec crops (default: printable ASCII, "
                        "ppocr/utils/en_dict.txt; ppocr/utils/latin_dict.txt adds accented Latin letters, "
                        "euro and typographic quotes and dashes)")
    p.add_argument("--accents", type=float, default=0.0, metavar="P",
                   help="chance that a word carries a Latin accent (é, ü, ç, ő, ž...), so models also learn "
                        "European lines; in rec mode the --dict must hold the accented letters (default 0)")
    p.add_argument("--text_file", default=None, metavar="FILE",
                   help="rec only: crops of the line kind draw their text from the lines of this UTF-8 file "
                        "(cut at a word boundary to --max_len) instead of the built-in text sampler: your "
                        "own domain's text, or real prose for an evaluation set")
    p.add_argument("--src", nargs="+", default=(), metavar="PATH",
                   help="the pdf and html kinds: PDF and HTML files or folders (searched recursively). "
                        "PDF pages without a text layer, with invisible text (a scan's OCR layer) or whose "
                        "text does not match the ink, and web pages that do not load or show little text, "
                        "are left out and counted")
    p.add_argument("--dpi", default="72,200", metavar="MIN,MAX",
                   help="the pdf kind: each page is rendered at a random resolution in this range "
                        "(default 72,200)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--det", action="store_true", help="pdf/html mode: pages with line boxes (the default)")
    what.add_argument("--rec", action="store_true", help="pdf/html mode: line crops")
    return p


def parse_range(text: str, flag: str):
    """``"72,200"`` -> (72.0, 200.0); ValueError names the flag."""
    try:
        low, high = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"{flag} must be MIN,MAX (two numbers), got {text!r}") from None
    return low, high


def fail(message: str) -> int:
    """Print one error line (argparse style) and return the usage exit code."""
    print(f"gen_data.py: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv=None) -> int:
    """Parse arguments, generate, print a one-line summary; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.num <= 0:
        parser.error(f"--num must be a positive integer, got {args.num}")
    if args.workers <= 0:
        parser.error(f"--workers must be >= 1, got {args.workers}")

    from ppocr.synth import FontError, GenConfig, discover_fonts, generate, resources_line, summary_line
    from ppocr.synth.corpus import DEFAULT_CHARSET, dictionary_charset
    from ppocr.synth.generate import parse_kinds

    mode = args.mode
    if mode in ("pdf", "html"):
        args.kinds = args.kinds or mode
        mode = "rec" if args.rec else "det"
    elif args.det or args.rec:
        return fail("--det/--rec choose the output of the pdf and html modes; in det or rec mode the mode says it")
    try:
        kinds = parse_kinds(args.kinds) if args.kinds else None
        dpi = parse_range(args.dpi, "--dpi")
        charset = dictionary_charset(args.dict) if args.dict else DEFAULT_CHARSET
    except ValueError as e:
        return fail(str(e))
    cfg = GenConfig(mode=mode, out_dir=args.out, num=args.num, seed=args.seed,
                    font_dir=args.fonts, level=args.level, lmdb=args.lmdb,
                    workers=args.workers, max_len=args.max_len, kinds=kinds, accents=args.accents,
                    charset=charset,
                    text_file=args.text_file, src=tuple(args.src), pdf_dpi=dpi)
    try:
        cfg.validate()
        fonts = discover_fonts(cfg.font_dir)
        print(resources_line(fonts, cfg.font_dir), file=sys.stderr)
        stats = generate(cfg, fonts=fonts)
    except (ValueError, FontError, FileNotFoundError) as e:
        return fail(str(e))
    except OSError as e:
        return fail(f"cannot write to output folder {args.out}: {e.strerror or e}")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(summary_line(cfg, stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
