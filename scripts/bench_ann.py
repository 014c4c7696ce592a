"""Measure exact (flat) against HNSW search on normalised 384-d vectors, to set ANN_THRESHOLD.

    .venv/bin/python scripts/bench_ann.py [--sizes 1000 5000 20000 50000 100000]

Prints, per index size, the median single-query latency of each and HNSW's recall@10
against the exact result. Random unit vectors are the hard case for HNSW (no clusters).
"""

from __future__ import annotations

import argparse
import statistics
import time

import faiss
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 50000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ef", type=int, default=64, help="HNSW efSearch")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    dim = 384
    print(f"{'n':>8} {'flat ms':>9} {'hnsw ms':>9} {'recall@10':>10} {'hnsw build s':>13}")
    for n in args.sizes:
        x = rng.standard_normal((n, dim)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        q = x[rng.choice(n, args.queries, replace=False)] + 0.05 * rng.standard_normal((args.queries, dim)).astype(np.float32)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        flat = faiss.IndexFlatIP(dim)
        flat.add(x)
        t = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.add(x)
        build = time.perf_counter() - t
        hnsw.hnsw.efSearch = args.ef

        def lat(index, queries=q):
            ts = []
            for v in queries:
                t0 = time.perf_counter()
                index.search(v[None, :], 10)
                ts.append(time.perf_counter() - t0)
            return 1000 * statistics.median(ts)

        _, exact = flat.search(q, 10)
        _, approx = hnsw.search(q, 10)
        recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])
        print(f"{n:>8} {lat(flat):>9.3f} {lat(hnsw):>9.3f} {recall:>10.3f} {build:>13.2f}")


if __name__ == "__main__":
    main()
