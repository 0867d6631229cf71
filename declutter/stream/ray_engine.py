"""Cleaning and learning on a Ray cluster (optional: ``pip install 'declutter[ray]'``).

    import ray
    from declutter import Cleaner
    from declutter.stream.ray_engine import clean_dataset, learn_dataset

    summary = clean_dataset(["s3://bucket/crawl/"], "s3://bucket/clean/", Cleaner(),
                            address="auto")     # files or folders (read recursively)
    print(summary.line())
    learn_dataset(["s3://bucket/crawl/"], "site-rules.toml", min_docs=5, min_share=0.1)

or from the shell: ``declutter --jsonl --engine ray --address auto --out-dir DIR FILES…`` and
``declutter learn --engine ray CORPUS… -o site-rules.toml``.

How it maps onto Ray Data:

* Each input file (local path, or ``s3://…``/``gs://…`` through pyarrow's
  filesystems) is read whole by ``read_binary_files`` and cut into the same
  batches as the local engine (gzip/zstd, JSONL lines with their line numbers,
  WARC framing), so every record is treated exactly as on one machine: same
  output, same error records, same ``source``. Keep input files to shard size
  (up to a few hundred MB): one file is one read task.
* ``map_batches`` runs the Cleaner over the batches; the Cleaner is pickled
  once and unpickled once per Ray worker process.
* A Datasink writes the JSON lines to shards ``part-FFFFF-BBBBBBBB.jsonl``
  named by input file and batch number, so the shards in name order are the
  input in order, and returns the counts for the summary.
* The learn job is two passes: per-document distinct line keys (blake2b, never
  ``hash()``) grouped by (domain, key) with a small number of shuffle
  partitions (Ray's default is 200), then the filter on the counts.

Ray is imported only here, lazily: the local engine never needs it.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import posixpath
import time
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Protocol

from .learn import DEFAULT_MIN_DOCS, DEFAULT_MIN_SHARE, LearnedRule, learn_items, render_rule_file, select_rules
from .process import Options, Stats, process_batch
from .run import Summary

#: shuffle partitions for the learn job's group-by (Ray's default is 200)
GROUPBY_PARTITIONS = 8


def _ray(address: str | None = None, **init_kwargs: Any) -> ModuleType:
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the install
        from ..errors import InputError

        raise InputError("--engine ray needs Ray: pip install 'declutter[ray]'") from exc
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, **init_kwargs)
    import sys

    from ray.data import DataContext

    # Ray Data reports every dataset at INFO and draws progress bars: keep
    # stderr for declutter's own summary unless it is a terminal.
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    DataContext.get_current().enable_progress_bars = sys.stderr.isatty()
    return ray


def _abs(path: str) -> str:
    return path if "://" in path else os.path.abspath(path)


# ---- per-worker cache of the unpickled Cleaner ---------------------------------
_CLEANERS: dict[bytes, Any] = {}


def _cleaner_from(blob: bytes) -> Any:
    key = hashlib.blake2b(blob, digest_size=16).digest()
    c = _CLEANERS.get(key)
    if c is None:
        _CLEANERS.clear()
        c = _CLEANERS[key] = pickle.loads(blob)
    return c


# ---- stage 1: files -> batches --------------------------------------------------

def _split_file(row: dict[str, Any], fmt: str, index: dict[str, int]) -> list[dict[str, Any]]:
    from .inputs import open_stream
    from .run import batches_from_input

    path = row["path"]
    inp = open_stream(io.BytesIO(row["bytes"]), path, len(row["bytes"]))
    fidx = index.get(path, 0)
    return [{"order": f"{fidx:05d}-{i:08d}", "batch": pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL)}
            for i, b in enumerate(batches_from_input(inp, fmt))]


def _file_index(ray: Any, paths: list[str]) -> dict[str, int]:
    """A stable number for every input file, in the order given (for shard names)."""
    import pyarrow.fs as pafs

    names: list[str] = []
    for p in paths:
        fs, root = pafs.FileSystem.from_uri(_abs(p))
        info = fs.get_file_info(root)
        if info.type == pafs.FileType.Directory:
            sel = pafs.FileSelector(root, recursive=True)
            names.extend(sorted(i.path for i in fs.get_file_info(sel) if i.type == pafs.FileType.File))
        else:
            names.append(root)
    return {n: i for i, n in enumerate(names)}


def _read_batches(ray: Any, paths: list[str], fmt: str) -> Any:  # a ray.data.Dataset
    index = _file_index(ray, paths)
    files = ray.data.read_binary_files([_abs(p) for p in paths], include_paths=True)
    return files.flat_map(_split_file, fn_kwargs={"fmt": fmt, "index": index})


# ---- stage 2: clean ---------------------------------------------------------------

def _clean_batches(batch: dict[str, Any], blob: bytes, opts: Options) -> dict[str, list[Any]]:
    cleaner = _cleaner_from(blob)
    data, errs, stats = [], [], []
    for b in batch["batch"]:
        d, e, st = process_batch(pickle.loads(b), cleaner, opts)
        data.append(d)
        errs.append(e)
        stats.append(pickle.dumps(st))
    return {"order": list(batch["order"]), "data": data, "err": errs, "stats": stats}


class _ShardSink(Protocol):
    """What clean_dataset reads of its Datasink once the write is done."""

    stats: Stats
    shards: list[str]


def _datasink_class() -> Callable[[str], _ShardSink]:
    from ray.data import Datasink

    class JsonlShards(Datasink[tuple[list[str], bytes]]):
        """Writes each block's JSON lines to one shard named by its first batch."""

        def __init__(self, out_dir: str) -> None:
            self.out_dir = _abs(out_dir)
            self.stats = Stats()
            self.shards: list[str] = []

        def on_write_start(self, schema: Any = None) -> None:
            import pyarrow.fs as pafs

            fs, root = pafs.FileSystem.from_uri(self.out_dir)
            fs.create_dir(root, recursive=True)

        def write(self, blocks: Iterable[Any], ctx: Any) -> tuple[list[str], bytes]:
            import pyarrow.fs as pafs
            from ray.data.block import BlockAccessor

            fs, root = pafs.FileSystem.from_uri(self.out_dir)
            st = Stats()
            written = []
            for block in blocks:
                tbl = BlockAccessor.for_block(block).to_arrow()
                if tbl.num_rows == 0:
                    continue
                rows = tbl.to_pydict()
                order = rows["order"]
                name = f"part-{order[0]}.jsonl"
                with fs.open_output_stream(posixpath.join(root, name)) as fh:
                    for d in rows["data"]:
                        fh.write(d)
                errs = b"".join(rows["err"])
                if errs:
                    with fs.open_output_stream(posixpath.join(root, f"errors-{order[0]}.jsonl")) as fh:
                        fh.write(errs)
                for s in rows["stats"]:
                    st.add(pickle.loads(s))
                written.append(name)
            return written, pickle.dumps(st)

        def on_write_complete(self, write_result: Any) -> None:
            for names, st in write_result.write_returns:
                self.shards.extend(names)
                self.stats.add(pickle.loads(st))

    return JsonlShards


def clean_dataset(input_paths: list[str], output_dir: str, cleaner: Any, *, fmt: str = "jsonl",
                  options: Options | None = None, address: str | None = None,
                  ray_init: dict[str, Any] | None = None) -> Summary:
    """Clean JSONL (or WARC/WET with ``fmt="warc"``) files on Ray and write JSONL
    shards to ``output_dir``; returns the Summary (records, errors, …).

    ``address``: a Ray cluster ("auto", "ray://host:10001"); None starts or
    reuses a local Ray. The shards, read in name order, hold one JSON line per
    input record in input order — the same lines the local engine writes.
    """
    ray = _ray(address, **(ray_init or {}))
    from ray.data import DataContext

    opts = options or Options()
    ctx = DataContext.get_current()
    ctx.execution_options.preserve_order = True
    t0 = time.perf_counter()
    blob = pickle.dumps(cleaner, protocol=pickle.HIGHEST_PROTOCOL)
    ds = _read_batches(ray, list(input_paths), fmt)
    ds = ds.map_batches(_clean_batches, fn_kwargs={"blob": blob, "opts": opts}, batch_size=1)
    sink = _datasink_class()(output_dir)
    ds.write_datasink(sink)
    summary = Summary(stats=sink.stats, seconds=time.perf_counter() - t0)
    return summary


def read_shards(output_dir: str) -> bytes:
    """All JSON lines of a clean_dataset output folder, in input order (local folders)."""
    names = sorted(n for n in os.listdir(output_dir) if n.startswith("part-") and n.endswith(".jsonl"))
    out = []
    for n in names:
        with open(os.path.join(output_dir, n), "rb") as fh:
            out.append(fh.read())
    return b"".join(out)


# ---- the learn job ----------------------------------------------------------------

def _learn_rows(batch: dict[str, Any], blob: bytes, opts: Options) -> dict[str, list[Any]]:
    cleaner = _cleaner_from(blob)
    domains, keys, lines, counts = [], [], [], []
    for b in batch["batch"]:
        docs, _no_url, _errors = learn_items(pickle.loads(b), cleaner, opts)
        for domain, ks, ls in docs:
            domains.append(domain)   # the document itself (key "" counts documents)
            keys.append("")
            lines.append("")
            counts.append(1)
            for k, ln in zip(ks, ls):
                domains.append(domain)
                keys.append(k.hex())
                lines.append(ln)
                counts.append(1)
    return {"domain": domains, "key": keys, "line": lines, "n": counts}


def learn_dataset(input_paths: list[str], output: str | None = None, *, fmt: str = "jsonl",
                  options: Options | None = None, cleaner: Any = None, address: str | None = None,
                  min_docs: int = DEFAULT_MIN_DOCS, min_share: float = DEFAULT_MIN_SHARE,
                  partitions: int = GROUPBY_PARTITIONS, ray_init: dict[str, Any] | None = None) -> list[LearnedRule]:
    """The two-pass learn job on Ray: (1) per-domain document counts of each
    line key with a group-by, (2) the filter on both thresholds. Writes the rule
    file to ``output`` when given ("-" for stdout) and returns the rules."""
    import sys

    ray = _ray(address, **(ray_init or {}))
    from ray.data.aggregate import Max, Sum

    if cleaner is None:
        from ..cleaner import Cleaner

        cleaner = Cleaner()
    opts = options or Options()
    blob = pickle.dumps(cleaner, protocol=pickle.HIGHEST_PROTOCOL)
    rows = _read_batches(ray, list(input_paths), fmt).map_batches(
        _learn_rows, fn_kwargs={"blob": blob, "opts": opts}, batch_size=1)
    # pass 1: documents per (domain, line key); the "" key counts the domain's documents
    grouped = rows.groupby(["domain", "key"], num_partitions=partitions).aggregate(Sum("n"), Max("line"))
    grouped = grouped.materialize()
    docs = {r["domain"]: int(r["sum(n)"]) for r in grouped.filter(lambda r: r["key"] == "").take_all()}
    # pass 2: the filter on both thresholds
    floor = max(2, min_docs)
    kept = grouped.filter(lambda r: r["key"] != "" and r["sum(n)"] >= floor).take_all()
    rules = select_rules(((r["domain"], bytes.fromhex(r["key"]), r["max(line)"], int(r["sum(n)"])) for r in kept),
                         docs, min_docs, min_share)
    if output is not None:
        text = render_rule_file(rules, min_docs=min_docs, min_share=min_share,
                                documents=sum(docs.values()), sources=input_paths)
        if output == "-":
            sys.stdout.write(text)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
    return rules
