"""Two processes, one global mesh: sharded draws under `jax.distributed` equal one process's draws.

Two worker subprocesses start `jax.distributed` on loopback (coordinator `127.0.0.1:<free port>`),
each with 4 CPU devices (`XLA_FLAGS=--xla_force_host_platform_device_count=4`), which makes one
global mesh of 8 devices. Each worker runs the same programs: Philox-key `keyrng.uniform`, `normal`
and `truncated_normal`, threefry-key draws, and a `compat.function` whose outputs are sharded with
`jax.lax.with_sharding_constraint`, all compiled with `jax.jit(..., out_shardings=NamedSharding(...))`
over the global mesh. A worker can only read its own 4 shards; it saves them with their indices,
and the test process compares every shard with the same slice of the values computed here, in one
process, without sharding. Each worker also reports the largest array in its compiled, partitioned
program (no device holds more than its own slice, and no data moves between devices) and the
addresses its sockets listen on (loopback only).

What jax 0.10.2 needs on CPU: a collectives implementation. Without one
(`jax_cpu_collectives_implementation=None`) every multi-process computation fails with "Multiprocess
computations aren't implemented on the CPU backend", even one without a collective; `'gloo'` is
jax 0.10.2's default, and the worker sets it explicitly. Gloo binds its sockets to the address of
the machine's host name and jax has no public option to change that, so the tests run only where
the host name resolves to a loopback address (they are skipped elsewhere, rather than open sockets
on another interface); the coordinator gets `coordinator_bind_address=127.0.0.1:<port>` (jax's
default binds `[::]`).
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 2
LOCAL_DEVICES = 4
DEVICES = PROCESSES * LOCAL_DEVICES
SIZE = DEVICES * 512
DEADLINE = 240            # seconds for one launch of both workers, start to finish (normally ~20)
INIT_TIMEOUT = 90         # seconds jax.distributed.initialize waits for the other process
LOOPBACK = "127.0.0.1"
COLLECTIVES = ("all-gather", "all-to-all", "collective-permute", "reduce-scatter")
PORT_IN_USE = ("address already in use", "failed to add port", "failed to bind", "errno 98")

# name: (key, op, shape, partition spec, mesh axes)
DRAWS = {
    "philox-uniform": ("philox", "uniform", (SIZE,), ("x",), {"x": DEVICES}),
    "philox-normal": ("philox", "normal", (SIZE,), ("x",), {"x": DEVICES}),
    "philox-truncated_normal": ("philox", "truncated_normal", (SIZE,), ("x",), {"x": DEVICES}),
    "philox-uniform-mesh-2d": ("philox", "uniform", (64, 128), ("a", "b"), {"a": 4, "b": 2}),
    "threefry-uniform": ("threefry2x32", "uniform", (SIZE,), ("x",), {"x": DEVICES}),
    "threefry-normal-mesh-2d": ("threefry2x32", "normal", (64, 128), ("a", "b"), {"a": 4, "b": 2}),
}
FUNCTION_CALLS = 2        # compat.function is called twice: the second call has moved its counters
FUNCTION_OPS = ("uniform", "normal")
FUNCTION_OUTPUTS = [f"compat.function-call{k}-{op}" for k in range(FUNCTION_CALLS) for op in FUNCTION_OPS]
OUTPUTS = [*DRAWS, *FUNCTION_OUTPUTS]


def _host_is_loopback() -> bool:
    try:
        return socket.gethostbyname(socket.gethostname()).startswith("127.")
    except OSError:
        return False


pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not _host_is_loopback(), reason="gloo would bind the host name's address, which is not loopback here")]


def _keys():
    import keyrng

    return {"philox": keyrng.tf_key(20260101, 7), "threefry2x32": keyrng.seed(20260101)}


def _draw(name, keys):
    import keyrng

    algorithm, op, shape, _, _ = DRAWS[name]
    return getattr(keyrng, op)(keys[algorithm], shape)


def _function(constrain):
    """The compat.function both sides call: three ops, each output passed through `constrain`."""
    import compat

    @compat.function
    def step():  # no truncated_normal: its kernel takes seconds to compile, and keyrng's is above
        return constrain(compat.uniform([SIZE], seed=1)), constrain(compat.normal([SIZE]))

    compat.set_seed(7)
    calls = [step() for _ in range(FUNCTION_CALLS)]
    return {f"compat.function-call{k}-{op}": value
            for k, values in enumerate(calls) for op, value in zip(FUNCTION_OPS, values)}


# --- what runs in each worker process ------------------------------------------------------------

def _largest_array(hlo: str) -> int:
    """Elements of the largest array shape in an HLO text (per device, after partitioning)."""
    largest = 0
    for dims in re.findall(r"\b(?:pred|[suf]\d+|bf16)\[([\d,]+)\]", hlo):
        largest = max(largest, math.prod(int(d) for d in dims.split(",")))
    return largest


def _listening_addresses() -> list[str]:
    """Local addresses of this process's listening TCP sockets, from /proc (Linux); [] elsewhere."""
    inodes = set()
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return []
    for fd in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN, owned by this process
                address, port = fields[1].split(":")
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word of the address in host (little-endian) order.
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
                addresses.append(f"{socket.inet_ntop(family, raw)}:{int(port, 16)}")
    return addresses


def _worker() -> None:
    """One process of the two: `python -c '...; _worker()' PROCESS_ID PORT OUT_DIR`."""
    started = time.perf_counter()
    process_id, port, out_dir = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])

    import jax

    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
        coordinator_address=f"{LOOPBACK}:{port}", coordinator_bind_address=f"{LOOPBACK}:{port}",
        num_processes=PROCESSES, process_id=process_id, cluster_detection_method="deactivate",
        initialization_timeout=INIT_TIMEOUT, heartbeat_timeout_seconds=30,
        shutdown_timeout_seconds=30)
    initialized = time.perf_counter()
    from jax.sharding import AxisType, NamedSharding, PartitionSpec

    assert jax.process_index() == process_id and jax.process_count() == PROCESSES
    assert jax.device_count() == DEVICES and jax.local_device_count() == LOCAL_DEVICES, jax.devices()
    local = {d.id for d in jax.local_devices()}

    def sharding(spec, axes):
        mesh = jax.make_mesh(tuple(axes.values()), tuple(axes), axis_types=(AxisType.Auto,) * len(axes))
        return NamedSharding(mesh, PartitionSpec(*spec))

    keys = _keys()
    outputs, report = {}, {}
    for name, (_, _, shape, spec, axes) in DRAWS.items():
        start = time.perf_counter()
        program = jax.jit(lambda keys, name=name: _draw(name, keys), out_shardings=sharding(spec, axes))
        compiled = program.lower(keys).compile()
        outputs[name] = compiled(keys)
        hlo = compiled.as_text()
        report[name] = {"largest": _largest_array(hlo),
                        "collectives": [c for c in COLLECTIVES if c in hlo],
                        "seconds": round(time.perf_counter() - start, 2)}
    start = time.perf_counter()
    rows = sharding(("x",), {"x": DEVICES})
    outputs.update(_function(lambda x: jax.lax.with_sharding_constraint(x, rows)))
    function_seconds = round(time.perf_counter() - start, 2)

    arrays = {}
    for name, value in outputs.items():
        shards = value.addressable_shards
        try:
            np.asarray(value)
            readable = True
        except Exception:  # noqa: BLE001 - any refusal to fetch remote shards counts
            readable = False
        report.setdefault(name, {}).update(
            shape=list(value.shape), dtype=str(value.dtype),
            fully_addressable=value.is_fully_addressable, readable_whole=readable,
            shard_devices=sorted(s.device.id for s in shards),
            shards_on_local_devices={s.device.id for s in shards} <= local,
            shards=[])
        for i, shard in enumerate(shards):
            index = [[s.start or 0, dim if s.stop is None else s.stop]
                     for s, dim in zip(shard.index, value.shape)]
            arrays[f"{name}/{i}"] = np.asarray(shard.data)
            report[name]["shards"].append({"device": shard.device.id, "index": index, "array": f"{name}/{i}"})
    np.savez(out_dir / f"process{process_id}.npz", **arrays)
    listening = _listening_addresses()
    jax.distributed.shutdown()
    result = {"process_index": process_id, "local_devices": sorted(local), "outputs": report,
              "listening": listening, "initialize_seconds": round(initialized - started, 2),
              "function_seconds": function_seconds,
              "seconds": round(time.perf_counter() - started, 2)}
    (out_dir / f"process{process_id}.json").write_text(json.dumps(result))


# --- launching the two workers -------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def _worker_env() -> dict:
    env = {name: value for name, value in os.environ.items()
           if not name.lower().endswith("_proxy")}  # gRPC must not send loopback through a proxy
    env.update(XLA_FLAGS=f"--xla_force_host_platform_device_count={LOCAL_DEVICES}",
               JAX_PLATFORMS="cpu",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return env


def _launch(out_dir: Path, port: int, meanwhile=lambda: None):
    """Runs both workers and, while they run, `meanwhile()`.

    Returns how each worker ended (its exit code, or "killed by signal N", or "stopped by the test"
    when it ran past the deadline or the other one had failed), their output, and what `meanwhile`
    returned.
    """
    code = "from tests.test_distributed import _worker; _worker()"
    logs = [out_dir / f"process{i}.log" for i in range(PROCESSES)]
    procs = []
    try:
        for i in range(PROCESSES):
            with open(logs[i], "w") as log:
                procs.append(subprocess.Popen([sys.executable, "-c", code, str(i), str(port), str(out_dir)],
                                              cwd=ROOT, env=_worker_env(), stdout=log,
                                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        deadline = time.monotonic() + DEADLINE
        done = meanwhile()
        while time.monotonic() < deadline:
            codes = [p.poll() for p in procs]
            if all(c is not None for c in codes) or any(c not in (None, 0) for c in codes):
                break  # done, or one failed: the other would only wait for it
            time.sleep(0.2)
    finally:
        stopped = set()
        for i, p in enumerate(procs):
            if p.poll() is None:
                p.kill()
                stopped.add(i)
            p.wait()
    codes = ["stopped by the test" if i in stopped else
             p.returncode if p.returncode >= 0 else f"killed by signal {-p.returncode}"
             for i, p in enumerate(procs)]
    return codes, [log.read_text(errors="replace") if log.exists() else "" for log in logs], done


def _failure(codes, logs, port) -> str:
    parts = [f"two-process jax.distributed run on {LOOPBACK}:{port} failed (a worker is stopped by "
             f"the test after {DEADLINE} s, or as soon as the other one fails)"]
    for i, (code, log) in enumerate(zip(codes, logs)):
        state = f"exit code {code}" if isinstance(code, int) else code
        tail = "\n".join(log.strip().splitlines()[-40:])
        parts.append(f"--- process {i}: {state}; last lines of its output:\n{tail}")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Both workers' reports and shards, and the one-process reference values."""
    reference = None
    for attempt in range(3):
        out_dir = tmp_path_factory.mktemp(f"distributed{attempt}")
        port = _free_port()
        codes, logs, reference = _launch(out_dir, port, lambda: reference or _reference())
        if codes == [0] * PROCESSES:
            break
        if not any(s in log.lower() for log in logs for s in PORT_IN_USE):
            pytest.fail(_failure(codes, logs, port), pytrace=False)
    else:  # the port was taken between probing and binding, three times
        pytest.fail(_failure(codes, logs, port), pytrace=False)
    reports = [json.loads((out_dir / f"process{i}.json").read_text()) for i in range(PROCESSES)]
    shards = [dict(np.load(out_dir / f"process{i}.npz")) for i in range(PROCESSES)]
    return {"reports": reports, "shards": shards, "reference": reference}


def _reference() -> dict:
    """The same values in this one process, without sharding."""
    import jax

    keys = _keys()
    values = {name: jax.jit(lambda keys, name=name: _draw(name, keys))(keys) for name in DRAWS}
    values.update(_function(lambda x: x))
    return {name: np.asarray(value) for name, value in values.items()}


# --- the tests -------------------------------------------------------------------------------------

def _bits(array: np.ndarray) -> np.ndarray:
    return array.view(f"u{array.dtype.itemsize}")


@pytest.mark.slow
@pytest.mark.parametrize("name", OUTPUTS)
def test_each_process_holds_only_its_own_shards(run, name):
    covered = np.zeros(run["reference"][name].shape, np.int64)
    devices = []
    for report in run["reports"]:
        output = report["outputs"][name]
        assert output["shape"] == list(run["reference"][name].shape)
        assert not output["fully_addressable"] and not output["readable_whole"], output
        assert output["shards_on_local_devices"], (output["shard_devices"], report["local_devices"])
        assert output["shard_devices"] == report["local_devices"], "one shard on each local device"
        devices += output["shard_devices"]
        for shard in output["shards"]:
            covered[tuple(slice(a, b) for a, b in shard["index"])] += 1
    assert sorted(devices) == sorted(set(devices)) and len(devices) == DEVICES
    assert (covered == 1).all(), "the two processes' shards cover the output exactly once"


@pytest.mark.slow
@pytest.mark.parametrize("name", OUTPUTS)
def test_shards_equal_one_process_values(run, name):
    reference = run["reference"][name]
    for report, arrays in zip(run["reports"], run["shards"]):
        output = report["outputs"][name]
        assert output["dtype"] == str(reference.dtype)
        for shard in output["shards"]:
            got = arrays[shard["array"]]
            want = reference[tuple(slice(a, b) for a, b in shard["index"])]
            assert got.shape == want.shape, shard
            assert np.array_equal(_bits(got), _bits(want)), (
                f"process {report['process_index']}, device {shard['device']}, "
                f"slice {shard['index']}: first difference at "
                f"{np.argwhere(_bits(got) != _bits(want))[0].tolist()}")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DRAWS))
def test_each_process_computes_only_its_slice(run, name):
    """The compiled, partitioned program holds no array bigger than a device's slice, and moves
    no data between devices (truncated_normal's boolean all-reduce per rejection round aside)."""
    _, _, shape, _, _ = DRAWS[name]
    per_device = math.prod(shape) // DEVICES
    for report in run["reports"]:
        output = report["outputs"][name]
        assert output["largest"] <= per_device and not output["collectives"], (report["process_index"], output)


@pytest.mark.slow
def test_workers_listen_only_on_loopback(run):
    """The coordinator's and gloo's listening sockets, read from /proc, are all on 127.0.0.1."""
    listening = [address for report in run["reports"] for address in report["listening"]]
    if not listening:
        pytest.skip("this system shows no listening sockets in /proc/self/fd and /proc/net/tcp*")
    hosts = {address.rsplit(":", 1)[0] for address in listening}
    assert hosts <= {"127.0.0.1", "::ffff:127.0.0.1", "::1"}, listening
