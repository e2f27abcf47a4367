"""Record TensorFlow's random surface: the public names docs/coverage.md must account for.

Usage: python tf_surface_record.py > tf_random_surface.json   (needs tensorflow installed)
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def names(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


DATASET_RANDOM = ("shuffle", "random", "rejection_resample", "sample_from_datasets", "choose_from_datasets")


def main():
    import tensorflow as tf
    print(json.dumps({
        "tensorflow": tf.__version__,
        "tf.random": names(tf.random),
        "tf.random.experimental": names(tf.random.experimental),
        "tf.image": [n for n in names(tf.image) if "random" in n or "sample_distorted" in n],
        "tf.random.Generator": names(tf.random.Generator),
        "tf.data.Dataset": [n for n in names(tf.data.Dataset) if n in DATASET_RANDOM],
        "tf.data.experimental": [n for n in names(tf.data.experimental)
                                 if "random" in n.lower() or "sample" in n or n == "RandomDataset"],
        "tf.nn": [n for n in names(tf.nn) if "random" in n or "dropout" in n or "sampler" in n],
        "tf.keras.random": names(tf.keras.random),
        "tf.nn.experimental": names(tf.nn.experimental),
    }, indent=1))


if __name__ == "__main__":
    main()
