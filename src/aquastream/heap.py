"""The garbage collector of a long-running process (server worker or background worker).

CPython's cyclic collector walks every tracked object of a generation it collects. A started
process holds about a million of them that live as long as it does (modules, the
application's routes and providers, SQLAlchemy's mappers, compiled caches), and a full
collection walked them all: 150 ms with the event loop stopped, a few times a minute under
load, which was the p99 of every route (``./dev bench checkin``: check-ins at 16 scanners).

Once the process has started, ``settle`` moves what is alive into the permanent generation
(``gc.freeze``), which no collection walks again; objects made later are collected as
before. It is called once per process, after start-up, never in tests (which build many
applications in one process: frozen, their garbage would never be freed).

Before that, ``starting`` turns the collector off while the process imports and builds the
application: the automatic collections of that phase walk objects that all stay alive, 0.3 s
of the 2 s an import of the application takes on a 2-core machine. ``settle`` collects once,
then turns it back on.

``settle`` also lets the youngest generation grow to ``YOUNG_OBJECTS`` before it is collected
(CPython's default is 700). A request or a sweep's batch makes thousands of short-lived
objects (rows, entities, events), nearly all freed by their reference counts; at 700 the
collector ran every few hundred microseconds of work to find next to nothing. Measured on the
expiry sweep's worker (``gc.callbacks``), heap settled: the collector's time 0.46-0.55 s at
700, 0.11 s at 10,000, of ~7 s of CPU. A young collection then walks at most that many
objects, well under a millisecond.
"""

from __future__ import annotations

import gc


def starting() -> None:
    """No automatic collection until ``settle``."""
    gc.disable()


# Objects the youngest generation holds before a collection (``settle``).
YOUNG_OBJECTS = 10_000


def settle() -> None:
    """Collect the start-up garbage, freeze what survived it, and collect from now on, the
    youngest generation when it holds ``YOUNG_OBJECTS``."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)
    gc.enable()
