"""Shared parts of the word2vec reference runs: vocabulary, evaluation and the result line.

Every system is scored the same way: gensim's evaluate_word_analogies (3CosAdd, the three question
words excluded, case-insensitive, only questions whose four words are in the vocabulary) and
evaluate_word_pairs (Spearman correlation over in-vocabulary pairs). Words per second count
in-vocabulary corpus tokens x epochs / training seconds, vocabulary building excluded.
"""
import argparse
import collections
import json


def argument_parser():
    """The arguments every reference run takes (the comparison script passes the same values to each)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("tokens")
    parser.add_argument("analogies")
    parser.add_argument("wordsim")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--negatives", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    return parser


def read_tokens(path):
    """The tokenised corpus (space-separated, one chunk per line) as one list of tokens."""
    with open(path, encoding="utf-8") as f:
        return f.read().split()


def build_vocabulary(tokens, min_count):
    """Words with at least min_count occurrences, most frequent first (ties by first appearance), and their counts."""
    counts = collections.Counter(tokens)
    words = [w for w, c in sorted(counts.items(), key=lambda item: -item[1]) if c >= min_count]
    return words, [counts[w] for w in words]


def evaluate(keyed_vectors, analogies, wordsim):
    """(analogy accuracy, questions scored, wordsim Spearman) of gensim KeyedVectors."""
    accuracy, sections = keyed_vectors.evaluate_word_analogies(analogies, case_insensitive=True)
    total = next(s for s in sections if s["section"] == "Total accuracy")
    questions = len(total["correct"]) + len(total["incorrect"])
    _, spearman, _ = keyed_vectors.evaluate_word_pairs(wordsim, delimiter="\t", case_insensitive=True)
    return float(accuracy), questions, float(spearman[0])


def keyed_vectors(words, vectors):
    """gensim KeyedVectors over our own arrays, so every system is scored by the same code."""
    from gensim.models import KeyedVectors
    kv = KeyedVectors(vector_size=vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def report(system, metrics, json_path=None):
    """Prints the result line and writes the metrics as JSON (same field names as our metrics.json)."""
    print("W2V system={} words_per_second={:.0f} analogy_accuracy={:.4f} analogy_questions={} "
          "wordsim_spearman={:.4f} train_seconds={:.2f}".format(
              system, metrics["words_per_second"], metrics["analogy_accuracy"], metrics["analogy_questions"],
              metrics["wordsim_spearman"], metrics["train_seconds"]), flush=True)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(metrics, f, indent=1)
