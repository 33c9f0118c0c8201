"""Write lines of receipt codes, prices, dates and currency codes drawn at random: text unlike the words a
recognizer's language model counted, to measure what the model costs there (see inference/MODEL_CARD.md).

  python3 benchmarks/codes_text.py --out ./train_data/codes.txt
  python3 tools/gen_data.py rec --out ./train_data/rec_codes_eval --num 1000 --seed 98 --max_len 40 \\
    --text_file ./train_data/codes.txt
"""
import argparse
import random
import string

CURRENCIES = ["CHF", "RM", "SGD", "EUR", "USD", "MYR", "HKD", "JPY", "NOK", "SEK"]
LABELS = ["Total", "Tax", "Cash", "Change", "Qty"]


def code_lines(count: int, seed: int = 41) -> list:
    rng = random.Random(seed)

    def code() -> str:  # letters then digits, as item and branch codes are: "FBIK90", "VE05"
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 4)))
        return letters + "".join(rng.choice(string.digits) for _ in range(rng.randint(1, 4)))

    def price() -> str:
        return f"{rng.randint(0, 999)}.{rng.randint(0, 99):02d}"

    def line() -> str:
        kind = rng.random()
        if kind < 0.25:
            return f"{rng.randint(1, 12)}x {code()} {price()} {rng.choice(CURRENCIES)}"
        if kind < 0.45:
            return f"{code()}: {rng.choice(LABELS)} {price()}"
        if kind < 0.6:
            return (f"{rng.randint(10, 99)}/{rng.randint(1, 12):02d}/{rng.randint(10, 30)} "
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} #{rng.randint(100000, 9999999)}")
        if kind < 0.75:
            return f"{rng.randint(100, 999)}g {rng.randint(1, 9)}.{rng.randint(0, 9)}% {price()}"
        if kind < 0.9:
            return f"Tel {rng.randint(100, 999)}-{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {code()}"
        return f"{rng.choice(CURRENCIES)} {price()} {rng.choice(CURRENCIES)} {price()}"

    return [line() for _ in range(count)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="text file to write, one line per crop text")
    p.add_argument("--num", type=int, default=3000, help="lines (default %(default)s)")
    p.add_argument("--seed", type=int, default=41)
    args = p.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(code_lines(args.num, args.seed)) + "\n")
    print(f"wrote {args.num} lines to {args.out}")


if __name__ == "__main__":
    main()
