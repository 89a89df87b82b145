"""A plain PyTorch CPU skip-gram with negative sampling: the second reference of the benchmark.

The word2vec recipe, batched: frequent-word subsampling (sample 1e-3, word2vec's formula), a
random reduced window b in 1..window per centre word, 5 negatives per (centre, context) pair
from the unigram^0.75 distribution, input vectors uniform in +-0.5/dim and output vectors zero,
and plain SGD on sparse embedding gradients with word2vec's learning rate, 0.025 decaying linearly
to 0.0001 over training. The loss of a batch is the sum over its pairs, so each pair moves its rows
as much as one word2vec step would.

Usage: torch_skipgram.py TOKENS ANALOGIES WORDSIM --epochs E --threads T [--json OUT]
"""
import time

import numpy as np
import torch
import torch.nn.functional as F

import w2v_common


def training_pairs(ids, keep_probability, window, rng):
    """One epoch of (centre, context) pairs in random order."""
    kept = ids[rng.random(len(ids)) < keep_probability[ids]]
    reduced = rng.integers(1, window + 1, size=len(kept))
    centres, contexts = [], []
    for offset in range(1, window + 1):
        forward = reduced[:-offset] >= offset   # context to the right of the centre
        centres.append(kept[:-offset][forward])
        contexts.append(kept[offset:][forward])
        backward = reduced[offset:] >= offset   # context to the left
        centres.append(kept[offset:][backward])
        contexts.append(kept[:-offset][backward])
    centres, contexts = np.concatenate(centres), np.concatenate(contexts)
    order = rng.permutation(len(centres))
    return torch.from_numpy(centres[order]), torch.from_numpy(contexts[order])


def main():
    parser = w2v_common.argument_parser()
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--sample", type=float, default=1e-3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    tokens = w2v_common.read_tokens(args.tokens)
    words, counts = w2v_common.build_vocabulary(tokens, args.min_count)
    index = {w: i for i, w in enumerate(words)}
    # Out-of-vocabulary tokens are dropped before windows are taken, as gensim and word2vec do.
    ids = np.fromiter((index.get(t, -1) for t in tokens), dtype=np.int64, count=len(tokens))
    ids = ids[ids >= 0]
    counts = np.asarray(counts, dtype=np.float64)
    threshold = args.sample * counts.sum()
    keep_probability = np.minimum(1.0, (np.sqrt(counts / threshold) + 1) * threshold / counts)
    noise = counts ** 0.75
    noise_cdf = torch.from_numpy(np.cumsum(noise / noise.sum()))

    vocab, dim = len(words), args.dim
    centre_vectors = torch.nn.Embedding(vocab, dim, sparse=True)
    context_vectors = torch.nn.Embedding(vocab, dim, sparse=True)
    with torch.no_grad():
        centre_vectors.weight.uniform_(-0.5 / dim, 0.5 / dim)
        context_vectors.weight.zero_()
    optimizer = torch.optim.SGD(list(centre_vectors.parameters()) + list(context_vectors.parameters()), lr=0.025)

    start = time.perf_counter()
    for epoch in range(args.epochs):
        centres, contexts = training_pairs(ids, keep_probability, args.window, rng)
        batches = (len(centres) + args.batch - 1) // args.batch
        for b in range(batches):
            progress = (epoch + b / batches) / args.epochs
            for group in optimizer.param_groups:
                group["lr"] = max(0.025 * (1 - progress), 0.0001)
            centre = centres[b * args.batch:(b + 1) * args.batch]
            context = contexts[b * args.batch:(b + 1) * args.batch]
            negative = torch.searchsorted(noise_cdf, torch.rand(len(centre), args.negatives, dtype=torch.float64)).clamp_(max=vocab - 1)
            c = centre_vectors(centre)                                     # [B, dim]
            positive_score = (c * context_vectors(context)).sum(1)         # [B]
            negative_score = torch.bmm(context_vectors(negative), c.unsqueeze(2)).squeeze(2)  # [B, K]
            loss = -(F.logsigmoid(positive_score).sum() + F.logsigmoid(-negative_score).sum())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start

    vectors = centre_vectors.weight.detach().numpy()
    accuracy, questions, spearman = w2v_common.evaluate(w2v_common.keyed_vectors(words, vectors), args.analogies, args.wordsim)
    w2v_common.report("pytorch", {
        "words_per_second": len(ids) * args.epochs / seconds,
        "train_seconds": seconds,
        "epochs": args.epochs,
        "vocab_size": vocab,
        "analogy_accuracy": accuracy,
        "analogy_questions": questions,
        "wordsim_spearman": spearman,
    }, args.json)


if __name__ == "__main__":
    main()
