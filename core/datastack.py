"""A way round CPython's stack-chunk thrashing (python/cpython#142183), for gunicorn's workers.

Since Python 3.11 the frames of Python calls live on a per-thread stack made of chunks of 16 KB.
A call that does not fit in the current chunk maps a new one (mmap), and the return that empties
it unmaps it (munmap). A loop that calls functions at exactly such a depth maps, faults in and
unmaps a chunk on every call. Django renders templates many frames deep, so where the edge falls
depends on how deep the server calls the application: under gunicorn the cold 3-year progress
page crossed one 2,876 times per request, and the worker spent more time in the kernel (page
faults) than half its time in Python. CPython's fix keeps one chunk per thread (3.13 and 3.14 in
2026); 3.11 and 3.12 have none.

`call_on_deep_stack(function)` calls `function` from a frame whose evaluation stack is CUSHION
slots long: CPython then maps one chunk of 1 MiB for it, and that chunk's other half holds every
frame called above it. gunicorn's `post_worker_init` (gunicorn.conf.py) runs the worker's whole
loop this way, so the chunk is mapped once per worker and no request's calls reach its edge.
The frame's stack is reserved, not written: memory is touched only as frames above use it.
"""

CUSHION = 65_536  # slots of 8 bytes: a 1 MiB chunk, about 512 KB of it left for the calls above


def call_on_deep_stack(function, *args):
    return function(*args)


# A larger evaluation stack than the compiler worked out is always safe: it is a bound, unused slots
# are never read.
call_on_deep_stack.__code__ = call_on_deep_stack.__code__.replace(co_stacksize=CUSHION)


def run_worker_on_deep_stack(worker):
    """gunicorn's post_worker_init: the worker's main loop (worker.run) on the deep stack."""
    run = worker.run
    worker.run = lambda: call_on_deep_stack(run)
