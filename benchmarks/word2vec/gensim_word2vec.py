"""gensim's skip-gram with negative sampling on a tokenised corpus: the reference the benchmark compares with.

Usage: gensim_word2vec.py TOKENS ANALOGIES WORDSIM --epochs E --threads T [--json OUT]
"""
import logging
import time

from gensim.models import Word2Vec

import w2v_common


def main():
    args = w2v_common.argument_parser().parse_args()
    logging.basicConfig(level=logging.WARNING)

    model = Word2Vec(sg=1, negative=args.negatives, vector_size=args.dim, window=args.window,
                     min_count=args.min_count, epochs=args.epochs, workers=args.threads, seed=args.seed)
    # corpus_file is gensim's fastest input path (no Python iterator per sentence); it reads the
    # space-separated lines of the tokenised corpus.
    model.build_vocab(corpus_file=args.tokens)
    in_vocabulary = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)
    start = time.perf_counter()
    model.train(corpus_file=args.tokens, total_words=model.corpus_total_words, epochs=args.epochs)
    seconds = time.perf_counter() - start

    accuracy, questions, spearman = w2v_common.evaluate(model.wv, args.analogies, args.wordsim)
    w2v_common.report("gensim", {
        "words_per_second": in_vocabulary * args.epochs / seconds,
        "train_seconds": seconds,
        "epochs": args.epochs,
        "vocab_size": len(model.wv.index_to_key),
        "analogy_accuracy": accuracy,
        "analogy_questions": questions,
        "wordsim_spearman": spearman,
    }, args.json)


if __name__ == "__main__":
    main()
