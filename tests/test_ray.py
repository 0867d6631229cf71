"""The Ray Data engine against the local engine: a local Ray with 2 CPUs must
write the same records, in the same order, and learn the same rules.

Skipped when Ray is not installed (pip install 'declutter[ray]'). Ray writes
to ~/.ray and the temp dir, so HOME and RAY_TMPDIR point at a temporary folder
(short: Ray's socket paths must stay under 108 bytes) and Ray is shut down.

Both sides run with PYTHONHASHSEED=0: Ray's workers are fresh interpreters,
and anything in the cleaner that depends on set order of strings (the page
language is chosen from a sample of a set of words) would otherwise differ
between the two sides for reasons that are not the engine's."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from declutter import Cleaner  # noqa: E402
from declutter.stream import Options  # noqa: E402
from declutter.stream.learn import learn_rules  # noqa: E402
from declutter.stream.ray_engine import clean_dataset, learn_dataset, read_shards  # noqa: E402

import sitecorpus  # noqa: E402
from conftest import call_cli, run_cli  # noqa: E402

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "warc"


@pytest.fixture(scope="module")
def local_ray():
    home = tempfile.mkdtemp(prefix="dray")
    saved = {k: os.environ.get(k) for k in ("HOME", "RAY_TMPDIR")}
    os.environ["HOME"] = home
    os.environ["RAY_TMPDIR"] = os.path.join(home, "t")
    os.makedirs(os.environ["RAY_TMPDIR"])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _temp_dir=os.environ["RAY_TMPDIR"], runtime_env={"env_vars": {"PYTHONHASHSEED": "0"}})
    try:
        yield
    finally:
        ray.shutdown()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("raycorpus")
    pages = sitecorpus.build(pages_per_site=40)
    path = d / "sites.jsonl"
    sitecorpus.write_jsonl(pages[:120], str(path))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps({"url": "https://x.example/", "body": "no text field"}) + "\n")
    second = d / "more.jsonl"
    sitecorpus.write_jsonl(pages[120:], str(second))
    return [str(path), str(second)]


ROOT = Path(__file__).resolve().parent.parent
_LOCAL = """
import json, pickle, sys
from declutter.stream import clean_stream
paths, fmt, opts, cleaner, out = pickle.load(open(sys.argv[1], "rb"))
with open(out, "wb") as fh:
    s = clean_stream(paths, cleaner, fmt=fmt, out=fh, jobs=1, summary_to=False, options=opts)
print(json.dumps([s.stats.records, s.stats.errors]))
"""


def local_output(paths, cleaner, fmt="jsonl", options=None):
    """The single-machine output, computed in a process with the same hash seed as Ray's workers."""
    import pickle
    import subprocess
    import sys

    tmp = Path(tempfile.mkdtemp(prefix="dlocal"))
    args, out = tmp / "args.pkl", tmp / "out.jsonl"
    args.write_bytes(pickle.dumps((paths, fmt, options, cleaner, str(out))))
    p = subprocess.run([sys.executable, "-c", _LOCAL, str(args)], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)})
    records, errors = json.loads(p.stdout)
    data = out.read_bytes()
    shutil.rmtree(tmp, ignore_errors=True)
    return data, SimpleNamespace(stats=SimpleNamespace(records=records, errors=errors))


def test_ray_clean_equals_local_record_for_record(local_ray, corpus, tmp_path):
    cleaner = Cleaner()
    opts = Options(with_removed=True)
    expected, local = local_output(corpus, cleaner, options=opts)
    summary = clean_dataset(corpus, str(tmp_path / "out"), cleaner, options=opts)
    got = read_shards(str(tmp_path / "out"))
    assert got.splitlines() == expected.splitlines()
    assert len(got.splitlines()) == 202
    assert summary.stats.records == local.stats.records == 202
    assert summary.stats.errors == local.stats.errors == 2


def test_ray_clean_of_wet_files_equals_local(local_ray, tmp_path):
    files = [str(FIX / "filter_test_1.wet.gz"), str(FIX / "fragment2_no_header.wet.gz")]
    cleaner = Cleaner()
    expected, _ = local_output(files, cleaner, fmt="warc")
    clean_dataset(files, str(tmp_path / "wet"), cleaner, fmt="warc")
    assert read_shards(str(tmp_path / "wet")).splitlines() == expected.splitlines()


def test_ray_learn_equals_local_learn(local_ray, corpus):
    # line keys do not depend on the cleaner's language choice: no seed needed here
    cleaner = Cleaner()
    local, _ = learn_rules(corpus, cleaner=cleaner, jobs=1, min_docs=5, min_share=0.1)
    on_ray = learn_dataset(corpus, cleaner=cleaner, min_docs=5, min_share=0.1, partitions=4)
    assert len(local) == 30
    assert [(r.rule_id, r.pattern, r.domain, r.docs, r.total) for r in on_ray] == \
           [(r.rule_id, r.pattern, r.domain, r.docs, r.total) for r in local]


def test_ray_stats_equal_local_stats_at_j1_and_j2(local_ray, corpus, tmp_path):
    # the local runs with the hash seed of Ray's workers (see the module's docstring)
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    docs = []
    for jobs in ("1", "2"):
        stats = tmp_path / f"j{jobs}.json"
        proc = run_cli("--jsonl", "--stats", str(stats), "-j", jobs, "--force-jobs", *corpus, env=env)
        assert proc.returncode == 0, proc.stderr
        docs.append(json.loads(stats.read_text(encoding="utf-8")))
    stats = tmp_path / "ray.json"
    proc = call_cli("--jsonl", "--engine", "ray", "--out-dir", str(tmp_path / "out"), "--stats", str(stats), *corpus)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("declutter: top reasons by bytes removed: ")
    on_ray = json.loads(stats.read_text(encoding="utf-8"))
    assert docs[0] == docs[1] == on_ray
    assert on_ray["pages"] == 202 and on_ray["pages_with_errors"] == 2 and on_ray["blocks"] > 100


def test_ray_unwritable_stats_path_stops_before_the_run(corpus, tmp_path):
    out = tmp_path / "out"
    bad = tmp_path / "no" / "stats.json"
    proc = call_cli("--jsonl", "--engine", "ray", "--out-dir", str(out), "--stats", str(bad), *corpus)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"declutter: --stats {bad}: No such file or directory"]
    assert not out.exists()
