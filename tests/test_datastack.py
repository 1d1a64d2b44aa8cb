"""core.datastack: calls at a stack chunk's edge map memory on every call, except on the deep stack.

The symptom is read as the kernel counts it: minor page faults. A chunk mapped afresh faults in a
page each time it is used, so a loop of calls at the edge faults once per call.
"""

import gc
import resource
import runpy
import sys
from pathlib import Path

from core.datastack import call_on_deep_stack

CALLS = 2_000
DEPTHS = 400  # a few chunks' worth of these small frames: at least one edge is among them


def leaf():
    return 1


# A leaf frame larger than a step of calls_at's recursion: at some depth it is the frame that
# does not fit in the chunk (calls_at's frames being the ones that do), whatever the depth below.
leaf.__code__ = leaf.__code__.replace(co_stacksize=200)


def calls_at(depth):
    if depth:
        return calls_at(depth - 1)
    total = 0
    for _ in range(CALLS):
        total += leaf()
    return total


def worst_page_faults():
    """The most page faults CALLS calls made at any of DEPTHS depths below the caller."""
    worst = 0
    for depth in range(DEPTHS):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        assert calls_at(depth) == CALLS
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


def test_calls_at_any_depth_above_the_deep_stack_map_no_memory():
    plain = worst_page_faults()
    deep = call_on_deep_stack(worst_page_faults)
    assert deep < CALLS / 20, (plain, deep)
    if sys.version_info < (3, 13):  # no fix in CPython: some depth faults about once per call
        assert plain >= CALLS / 2, plain


def test_call_on_deep_stack_passes_arguments_and_result():
    assert call_on_deep_stack(lambda a, b: (a, b), 1, "two") == (1, "two")


def test_the_gunicorn_worker_runs_its_loop_on_the_deep_stack_with_its_start_up_objects_frozen():
    config = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))

    class Worker:
        def run(self):
            return worst_page_faults()

    worker = Worker()
    try:
        config["post_worker_init"](worker)
        assert gc.get_freeze_count() > 0
        assert worker.run() < CALLS / 20
    finally:
        gc.unfreeze()
