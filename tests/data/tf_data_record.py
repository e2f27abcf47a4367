"""Record TensorFlow's tf.data shuffle orders for the scenarios in tf_data_scenarios.py.

tf.data pipelines do not fit record.py's `R`, so the scenarios here are written against `D`:
  D.set_seed, D.uniform, D.normal        tf.random's
  D.enable_op_determinism                tf.config.experimental.enable_op_determinism
  D.function                             tf.function
  D.dataset(n, buffer_size, seed=None, reshuffle_each_iteration=None, epochs=1)
        tf.data.Dataset.range(n).shuffle(buffer_size, seed=seed,
                                         reshuffle_each_iteration=...).repeat(epochs)
        (compat: compat.data.ShuffleOrder with the same arguments)
  D.shuffle_order(n, buffer_size, ...)   the elements of a new D.dataset(...), in order, int64
  D.elements(ds)                         one whole pass (a `for` loop) over ds, int64
  D.take(ds, k)                          the first k elements of a new pass, then the pass is dropped
  D.iterator(ds), D.next(it, k)          iter(ds); the next k elements of that pass
  D.batch_all(ds, total)                 ds.batch(total).get_single_element() (works in tf.function)
  D.sorted(x)                            the elements of x sorted (to check a permutation)
  D.same(x, y)                           1 if x and y are equal, else 0 (int64)
  D.constant(x, dtype), D.int32, D.int64 tf.constant and its dtypes (compat: a numpy array)
  D.length(ds)                           len(ds) as an int64 (an error for an endless one)
and `out`, `err`, `np` as in record.py. Records have record.py's format; int64 records keep
"bits" only. Every scenario runs in a fresh process.

Usage: /path/to/python-with-tensorflow tf_data_record.py tf_data_scenarios.py tf_data_expected.json [NAME ...]
(with names: record only those scenarios, keeping the other records of an existing output file)
"""
import itertools
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ENCODE = {"float32": "uint32", "float64": "uint64", "int32": "int32", "int64": "int64"}


def namespace():
    import numpy as np
    import tensorflow as tf
    D = type("D", (), {})()
    D.set_seed = tf.random.set_seed
    D.uniform = tf.random.uniform
    D.normal = tf.random.normal
    D.enable_op_determinism = tf.config.experimental.enable_op_determinism
    D.function = tf.function

    def dataset(n, buffer_size, seed=None, reshuffle_each_iteration=None, epochs=1):
        return tf.data.Dataset.range(n).shuffle(
            buffer_size, seed=seed, reshuffle_each_iteration=reshuffle_each_iteration).repeat(epochs)

    def as_int64(values):
        return tf.constant(np.asarray([int(v) for v in values], np.int64).reshape(-1), tf.int64)

    D.dataset = dataset
    D.elements = lambda ds: as_int64(list(ds))
    D.shuffle_order = lambda *a, **k: D.elements(dataset(*a, **k))
    D.take = lambda ds, k: as_int64(list(itertools.islice(iter(ds), k)))
    D.iterator = iter
    D.next = lambda it, k: as_int64(list(itertools.islice(it, k)))
    D.batch_all = lambda ds, total: ds.batch(total).get_single_element()
    D.sorted = lambda x: tf.sort(x)
    D.constant = tf.constant
    D.int32, D.int64 = tf.int32, tf.int64
    D.length = lambda ds: tf.constant(len(ds), tf.int64)
    D.same = lambda x, y: tf.constant(int(x.shape == y.shape and bool(tf.reduce_all(x == y))), tf.int64)

    # Dataset.random and sample_from_datasets (tf_data2_scenarios.py):
    #   D.random_dataset(count, seed=None, rerandomize_each_iteration=None, epochs=1)
    #         tf.data.Dataset.random(seed, rerandomize_each_iteration).take(count).repeat(epochs)
    #         (compat: compat.data.RandomDataset; count None: no take)
    #   D.random(count, ...)                   the elements of a new D.random_dataset(...)
    #   D.sample_dataset(lengths, weights=None, seed=None, stop_on_empty_dataset=False,
    #                    rerandomize_each_iteration=None, epochs=1)
    #         tf.data.Dataset.sample_from_datasets over Dataset.range datasets of those lengths
    #         (-1: endless), mapped to the index of the dataset each element came from, .repeat(epochs)
    #         (compat: compat.data.SampleFromDatasets)
    #   D.sample(lengths, ...)                 the elements of a new D.sample_dataset(...)
    #   D.tensor(values, dtype)                tf.constant (compat: a jax array): a Tensor of weights
    def random_dataset(count, seed=None, rerandomize_each_iteration=None, epochs=1):
        ds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=rerandomize_each_iteration)
        return (ds if count is None else ds.take(count)).repeat(epochs)

    big = 10**9

    def sample_dataset(lengths, weights=None, seed=None, stop_on_empty_dataset=False,
                       rerandomize_each_iteration=None, epochs=1):
        datasets = [tf.data.Dataset.range(k * big, k * big + n) if n >= 0 else
                    tf.data.Dataset.range(k * big, k * big + 1).repeat() for k, n in enumerate(lengths)]
        ds = tf.data.Dataset.sample_from_datasets(
            datasets, weights=weights, seed=seed, stop_on_empty_dataset=stop_on_empty_dataset,
            rerandomize_each_iteration=rerandomize_each_iteration)
        return ds.map(lambda v: v // big).repeat(epochs)

    D.random_dataset = random_dataset
    D.random = lambda *a, **k: D.elements(random_dataset(*a, **k))
    D.sample_dataset = sample_dataset
    D.sample = lambda *a, **k: D.elements(sample_dataset(*a, **k))
    D.tensor = tf.constant
    D.float32, D.float64 = tf.float32, tf.float64

    #   D.resample_dataset(labels, target_dist, initial_dist=None, seed=None, epochs=1)
    #         Dataset.from_tensor_slices((range(len(labels)), labels)).rejection_resample(
    #         lambda i, c: c, target_dist, initial_dist, seed), mapped to each element's input
    #         index, .repeat(epochs)   (compat: compat.data.RejectionResample)
    #   D.resample(labels, ...)                the elements of a new D.resample_dataset(...)
    def resample_dataset(labels, target_dist, initial_dist=None, seed=None, epochs=1):
        labels = np.asarray(labels, np.int32)
        ds = tf.data.Dataset.from_tensor_slices((np.arange(len(labels), dtype=np.int64), labels))
        ds = ds.rejection_resample(lambda i, c: c, target_dist, initial_dist=initial_dist, seed=seed)
        return ds.map(lambda c, x: x[0]).repeat(epochs)

    #   D.weights_dataset(rows, dtype)        Dataset.from_tensor_slices(rows): a weights dataset for
    #                                          D.sample (compat: the rows as a 2-D NumPy array)
    D.weights_dataset = lambda rows, dtype: tf.data.Dataset.from_tensor_slices(tf.constant(rows, dtype))
    D.resample_dataset = resample_dataset
    D.resample = lambda *a, **k: D.elements(resample_dataset(*a, **k))
    # end Dataset.random and sample_from_datasets
    return D


def run_one(code):
    import numpy as np
    D = namespace()
    records = []

    def record_tensor(t):
        a = t.numpy()
        name = t.dtype.name
        record = {"dtype": name, "shape": list(a.shape),
                  "bits": [int(b) for b in a.view(ENCODE[name]).reshape(-1)]}
        if name.startswith("float"):
            record["values"] = [float(v) for v in a.astype(np.float64).reshape(-1)]
        records.append(record)

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record_tensor(t)

    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - recording what TensorFlow raised
            records.append({"error": type(e).__name__})
            return
        records.append({"error": None})

    exec(compile(code, "<scenario>", "exec"), {"D": D, "out": out, "err": err, "np": np})
    return records


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(run_one(sys.stdin.read())))
        return
    src, dst, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    names = {}
    exec(open(src).read(), names)
    import tensorflow as tf
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    kept = {}
    if only and os.path.exists(dst):
        kept = {s["name"]: s for s in json.load(open(dst))["scenarios"]}
    for name, code in names["SCENARIOS"]:
        if only and name not in only:
            if name in kept and kept[name]["code"] == code:
                result["scenarios"].append(kept[name])
            continue
        try:  # a scenario TensorFlow never finishes (an endless pass) is reported, not waited for
            proc = subprocess.run([sys.executable, __file__, "--child"], input=code,
                                  capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print(name, "TIMED OUT", file=sys.stderr)
            continue
        if proc.returncode:
            print(name, "FAILED", proc.stderr[-2000:], file=sys.stderr)
            continue
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["scenarios"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
    with open(dst, "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
