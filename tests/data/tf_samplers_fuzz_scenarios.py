"""Randomised scenarios for the candidate samplers and index_shuffle (a fixed generator, so the
file always makes the same scenarios): recorded with TensorFlow 2.21 into
tests/data/tf_samplers_fuzz_expected.json, replayed by tests/test_shuffle_samplers.py."""

import random

SCENARIOS = []
_rng = random.Random(2026)

_CALLS = {
    "uniform": "R.uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
    "log_uniform": "R.log_uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
    "learned": "R.learned_unigram_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
    "fixed": "R.fixed_unigram_candidate_sampler({t}, {k}, {n}, {u}, {r}, unigrams={w}, distortion={d}, seed={s})",
}

for number in range(40):
    kind = list(_CALLS)[number % 4]
    lines = []
    global_seed = _rng.random() < 0.5
    if global_seed:
        lines.append(f"R.set_seed({_rng.randrange(0, 2**31)})")
    for _ in range(_rng.randint(1, 4)):
        r = _rng.choice([1, 2, 3, 7, 10, 64, 100, 1000, 4096, 99991, 2**20])
        if kind == "fixed":
            r = min(r, 300)
        k = _rng.randint(1, 4)
        batch = _rng.randint(1, 5)
        u = _rng.random() < 0.5
        n = _rng.randint(1, r if u else 2 * r + 5)
        n = min(n, 400)
        t = [[_rng.randrange(r) for _ in range(k)] for _ in range(batch)]
        s = _rng.choice([None, _rng.randrange(0, 2**31), 5])
        if s is None and not global_seed:  # neither seed: OS entropy, nothing to compare
            s = 6
        w = [round(_rng.random() * 10, 3) for _ in range(r)]
        d = _rng.choice([1.0, 0.75, 0.5, 1.3])
        lines.append("out(" + _CALLS[kind].format(t=t, k=k, n=n, u=u, r=r, s=s, w=w, d=d) + ")")
    SCENARIOS.append((f"fuzz_{kind}_{number}", "\n".join(lines)))

for number in range(6):
    dtype = ["int32", "uint32", "int64", "uint64"][number % 4]
    top = 2**31 - 1 if dtype in ("int32", "uint32") else 2**62
    lines = []
    for _ in range(4):
        m = _rng.choice([_rng.randrange(1, 300), _rng.randrange(1, 2**20), _rng.randrange(1, top)])
        idx = [_rng.randrange(0, m + 1) for _ in range(12)]
        seed = [_rng.randrange(-2**31, 2**31), _rng.randrange(-2**31, 2**31)]
        lines.append(f"out(R.index_shuffle(np.array({idx}, np.{dtype}), {seed}, np.{dtype}({m})))")
    SCENARIOS.append((f"fuzz_index_shuffle_{number}", "\n".join(lines)))
