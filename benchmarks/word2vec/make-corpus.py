#!/usr/bin/env python3
"""Writes a corpus of about N tokens from the shipped Word2Vec texts: their sentences, reshuffled on
every pass over them (a new seed each time), one sentence a line, until N tokens are written. The
token count is estimated with a pattern close to the runtime's tokenizer; the Word2Vec program prints
the exact count when it reads the file.

Usage: make-corpus.py TOKENS OUTPUT [SOURCE]   (TOKENS accepts 10M, 100M, 1.5M)
"""
import gzip
import random
import re
import sys

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def parse_count(text):
    scale = {"K": 1e3, "M": 1e6, "G": 1e9}.get(text[-1].upper(), 1)
    return int(float(text.rstrip("KMGkmg")) * scale)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    target = parse_count(sys.argv[1])
    source = sys.argv[3] if len(sys.argv) == 4 else "samples/Word2Vec/data/corpus.txt.gz"
    with gzip.open(source, "rt", encoding="utf-8") as f:
        text = " ".join(f.read().split())
    sentences = [(s, len(WORD.findall(s))) for s in SENTENCE_END.split(text)]
    sentences = [s for s in sentences if s[1] > 0]
    written, seed = 0, 0
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as out:
        while written < target:
            random.Random(seed).shuffle(sentences)
            seed += 1
            for sentence, tokens in sentences:
                out.write(sentence)
                out.write("\n")
                written += tokens
                if written >= target:
                    break
    print(f"{sys.argv[2]}: about {written:,} tokens from {seed} shuffled pass(es) over {len(sentences):,} sentences")


if __name__ == "__main__":
    main()
