"""Record TensorFlow's `tf.math.log` on float32 / float64 vectors (tf_log_packets.json), the
reference for keyrng/_eigen_log.py: Eigen's packet logarithm on whole SIMD packets, glibc's on the
tail. sample_from_datasets takes `log(weights)` with this kernel.

Usage: /path/to/python-with-tensorflow tf_log_record.py tf_log_packets.json
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main():
    import numpy as np
    import tensorflow as tf
    records = []
    rng = np.random.default_rng(7)
    for dtype, bits in ((np.float32, np.uint32), (np.float64, np.uint64)):
        for k in (1, 3, 5, 7, 9, 12, 15, 17, 33, 100):
            for _ in range(8):
                x = (rng.random(k) * 10.0 ** rng.integers(-4, 4, k)).astype(dtype)
                y = tf.math.log(tf.constant(x)).numpy()
                records.append({"dtype": x.dtype.name, "x": x.view(bits).tolist(), "log": y.view(bits).tolist()})
    rng = np.random.default_rng(5)
    for dtype, bits, packet in ((np.float32, np.uint32, 8), (np.float64, np.uint64, 4)):
        x = (rng.random(packet * 500) * 10.0 ** rng.integers(-6, 6, packet * 500)).astype(dtype)
        y = np.concatenate([tf.math.log(tf.constant(x[i:i + packet])).numpy() for i in range(0, len(x), packet)])
        for i in range(0, len(x), 400):
            records.append({"dtype": x.dtype.name, "x": x[i:i + 400].view(bits).tolist(),
                            "log": y[i:i + 400].view(bits).tolist(), "calls_of": packet})
    with open(sys.argv[1], "w") as f:
        json.dump({"recorded_with": f"tensorflow {tf.__version__} (CPU)",
                   "what": "tf.math.log(tf.constant(x)) per vector (calls_of: per group of that many values)",
                   "records": records}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
