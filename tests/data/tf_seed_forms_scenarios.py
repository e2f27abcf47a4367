# Seeds of every form TensorFlow accepts (floats, bools, numpy scalars), recorded with
# TensorFlow 2.21.0 (CPU) by record.py --child into tf_seed_forms_expected.json.
S = [("seed_forms_op_seeds", """
out(R.uniform([2], seed=1.5))
out(R.uniform([2], seed=1))
out(R.uniform([2], seed=True))
out(R.uniform([2], seed=np.float32(3.0)))
out(R.uniform([2], seed=3))
out(R.uniform([2], seed=-1.5))
out(R.uniform([2], seed=2147483645))
out(R.uniform([2], seed=np.float64(2.0**40 + 0.5)))
"""), ("seed_forms_global_seeds", """
R.set_seed(1.5)
out(R.uniform([2]))
out(R.uniform([2]))
R.set_seed(1)
out(R.uniform([2]))
R.set_seed(True)
out(R.uniform([2]))
R.set_seed(1.5)
out(R.uniform([2], seed=2))
R.set_seed(np.float32(7.25))
out(R.uniform([2]))
out(R.normal([2], seed=4.75))
R.set_seed(-3.5)
out(R.uniform([2]))
""")]
