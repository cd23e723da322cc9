"""The state of an activity of statements (after Pol.is): proposals, everyone's stances, and
the opinion groups kept as a cached derived value. Pure.

After Pol.is: phones answer statements with agree, disagree or pass, and may propose new
statements, which wait for the facilitator. The agenda's statements are `s1`, `s2`, … in
agenda order; a phone's proposals are `p1`, `p2`, … in the order they came. A statement people
can answer is *votable*: every agenda statement, and every approved proposal.

Shares are kept as running counts, so a view costs the same with 50 answers or 150,000. The
opinion groups (facilitate.core.opinion) cost about a microsecond per answer held, so they are
computed when someone looks (a view, a phone's own input), at most once per change of the
answers, and in a big room at most every `wait(answers)` seconds of meeting time. The core has
no clock: "meeting time" is the time of the newest event the activity has taken, and the cache
is keyed on a counter of the stances taken and the list of votable statements. Once input is
closed the groups are always those of every answer.

A recompute holds whoever runs it for tens of milliseconds in a big room, so a server does it
away from its event loop, in two steps around the computation: `snapshot` takes the answers
as they stand (one array copy, core/grid.py) when the groups are about to come due, and
`adopt` installs what `regroup` made of them. Adopting is keyed by the snapshot's counter,
and it is always right to adopt a result newer than the cache for the same statements: the
groups are then exactly those a recompute at the moment of the snapshot would have given, and
the stances taken since are simply the next recompute's, as they are after any recompute. The
wait is counted from the snapshot's time, so the lag stays what `wait` allows plus the time
the computation takes. While a snapshot is out, the views keep the cached groups rather than
compute them again; and once a caller has taken a snapshot (`apart`), they leave every
recompute that comes due to it, which it does through `settle` or another snapshot (the server
comes back when one is due: Meeting.due), so a phone's answer after a quiet spell does not
make the view that follows recompute in place. With input closed they are computed at once,
as before: the final groups of every answer.

A statements activity's `Conversation` is its kind's own state (ActivityState.kind_state),
read with `of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from facilitate.core import grid, opinion
from facilitate.core.activity import ActivityState
from facilitate.core.grid import Grid, Snapshot
from facilitate.core.opinion import Opinions, Tally

STANCES: Mapping[str, int] = {
    "agree": opinion.AGREE,
    "disagree": opinion.DISAGREE,
    "pass": opinion.PASS,
}
WORDS = {value: word for word, value in STANCES.items()}
_SLOT = {opinion.AGREE: 0, opinion.DISAGREE: 1, opinion.PASS: 2}

# How long in meeting time the groups may lag behind the answers. A recompute costs some tens
# of milliseconds whatever the room (k-means and silhouettes for each k) plus about a
# microsecond per answer held (python -m bench.statements), so waiting about twenty times that
# keeps regrouping to a few per cent of a core in a room of any size.
BASE_WAIT = 0.5
WAIT_PER_ANSWER = 20e-6
MAX_WAIT = 5.0


def wait(answers: int) -> float:
    """How long in meeting time the groups may lag behind the answers, with this many held."""
    return min(MAX_WAIT, BASE_WAIT + answers * WAIT_PER_ANSWER)


@dataclass
class Proposal:
    """A statement a phone proposed. `status` is pending (waiting for the facilitator),
    approved (votable) or hidden (with the facilitator's `reason`); nothing is deleted."""

    id: str
    author: str
    text: str
    at: float
    status: str = "pending"
    reason: str = ""
    channel: str = "phone"  # "form": sent through the plain forms of the page without scripts


@dataclass(frozen=True)
class Cached:
    """Opinion groups as computed for one state of the answers (`key`), at meeting time `at`."""

    key: tuple[int, tuple[str, ...]]
    at: float
    opinions: Opinions | None


@dataclass
class Conversation:
    """Everything phones have put into one statements activity."""

    proposals: dict[str, Proposal] = field(default_factory=dict)
    authored: dict[str, list[str]] = field(default_factory=dict)  # participant -> proposal ids
    stances: dict[str, dict[str, int]] = field(default_factory=dict)  # pid -> statement -> ±1/0
    counts: dict[str, list[int]] = field(default_factory=dict)  # statement -> agree, dis-, pass
    approved: tuple[str, ...] = ()  # the approved proposals' ids, in the order proposed
    answers: int = 0  # stances held (one per phone and statement)
    changes: int = 0  # stances taken, replacements included: the cache's key
    last_at: float = 0.0  # when the newest event of the activity happened: its meeting time
    # Derived, not state: left out of comparisons, rebuilt on demand after a replay.
    cache: Cached | None = field(default=None, compare=False, repr=False)
    grid: Grid = field(default_factory=Grid, compare=False, repr=False)  # the stances again
    pending: Snapshot | None = field(default=None, compare=False, repr=False)  # out to regroup
    apart: bool = field(default=False, compare=False, repr=False)  # a snapshot was ever taken
    # Participants whose group changed with a recompute, until someone takes them to tell
    # them (their phones' own input shows their group).
    regrouped: set[str] = field(default_factory=set, compare=False, repr=False)

    # -- applying ------------------------------------------------------------------------

    def take(self, pid: str, statement: str, stance: int, at: float) -> None:
        """A phone's stance on a statement, replacing any earlier one."""
        mine = self.stances.setdefault(pid, {})
        counts = self.counts.setdefault(statement, [0, 0, 0])
        earlier = mine.get(statement)
        if earlier is None:
            self.answers += 1
        else:
            counts[_SLOT[earlier]] -= 1
        counts[_SLOT[stance]] += 1
        mine[statement] = stance
        self.grid.put(pid, statement, stance)
        self.changes += 1
        self.last_at = max(self.last_at, at)

    def propose(self, proposal: Proposal) -> None:
        self.proposals[proposal.id] = proposal
        self.authored.setdefault(proposal.author, []).append(proposal.id)
        self.last_at = max(self.last_at, proposal.at)

    def moderate(self, statement: str, status: str, reason: str, at: float) -> None:
        proposal = self.proposals[statement]
        proposal.status = status
        proposal.reason = reason if status == "hidden" else ""
        self.approved = tuple(p.id for p in self.proposals.values() if p.status == "approved")
        self.last_at = max(self.last_at, at)

    # -- reading -------------------------------------------------------------------------

    def tallies(self, statements: tuple[str, ...]) -> tuple[Tally, ...]:
        """Every listed statement's answers, from the running counts."""
        empty = (0, 0, 0)
        return tuple(Tally(s, *self.counts.get(s, empty)) for s in statements)

    def groups(
        self, statements: tuple[str, ...], *, settled: bool, now: float | None = None
    ) -> Opinions | None:
        """The opinion groups of the answers to `statements`, from the cache when it is
        current, or when it is recent enough in meeting time and more answers may come
        (`settled` is False while input is open). Meeting time is the newest event's, or
        `now` when the caller knows the time (the server, when a recompute comes due). A
        view (no `now`) keeps the cache while a snapshot is out, and at all times once the
        groups are recomputed apart (see the module's doc)."""
        key = (self.changes, statements)
        moment = self.last_at if now is None else max(now, self.last_at)
        cached = self.cache
        if cached is not None and (
            cached.key == key or (not settled and self._keeps(cached, moment, view=now is None))
        ):
            return cached.opinions
        found = grid.regroup(self.grid.snapshot(statements, self.changes, moment))
        self._install(key, moment, found)
        return found

    def _keeps(self, cached: Cached, moment: float, *, view: bool) -> bool:
        """Whether cached groups that are not current may stand, while input is open: a
        snapshot is out, or a view asks once they are recomputed apart, or they are recent."""
        if self.pending is not None or (self.apart and view):
            return True
        return moment - cached.at < wait(self.answers)

    def _install(
        self,
        key: tuple[int, tuple[str, ...]],
        at: float,
        found: Opinions | None,
        moved: frozenset[str] | None = None,
    ) -> None:
        """Cache `found`; `moved`, if given, is who moved since the cached groups."""
        cached = self.cache
        if cached is not None:  # after a replay nobody has been told anything yet
            self.regrouped |= _moved(cached.opinions, found) if moved is None else moved
        self.cache = Cached(key, at, found)

    def due(self, statements: tuple[str, ...]) -> float | None:
        """When, in meeting time, the cached groups are due to be recomputed; None when they
        are current, being recomputed from a snapshot, or not computed yet (the first view
        computes them)."""
        cached = self.cache
        if cached is None or self.pending is not None or cached.key == (self.changes, statements):
            return None
        return cached.at + wait(self.answers)

    def snapshot(self, statements: tuple[str, ...], now: float) -> Snapshot | None:
        """The answers to `statements` as they stand at meeting time `now`, to recompute the
        groups from elsewhere (`regroup`) and `adopt` the result; None when there is no
        need: the groups are current, or not computed yet, or a snapshot is out already.
        Until it is adopted or dropped, the views keep the cached groups while input is open."""
        cached = self.cache
        if cached is None or self.pending is not None or cached.key == (self.changes, statements):
            return None
        self.pending = self.grid.snapshot(statements, self.changes, max(now, self.last_at))
        self.apart = True
        return self.pending

    def adopt(self, snapshot: Snapshot, done: Regrouped, statements: tuple[str, ...]) -> bool:
        """Install the groups recomputed from `snapshot` (see the module's doc): True if they
        were, False if they are no longer wanted: the snapshot is not the one out, the
        statements people can answer have changed since, or the cache is as new already (the
        groups were computed in place meanwhile, as they are once input closes)."""
        if self.pending is not snapshot:
            return False
        self.pending = None
        cached = self.cache
        if snapshot.statements != statements or (
            cached is not None and cached.key[0] >= snapshot.changes
        ):
            return False
        moved = done.moved if cached is done.base else None  # else work it out again
        self._install((snapshot.changes, snapshot.statements), snapshot.at, done.opinions, moved)
        return True

    def drop(self, snapshot: Snapshot) -> None:
        """Give up the recompute from `snapshot` (it failed): the groups come due again."""
        if self.pending is snapshot:
            self.pending = None

    def take_regrouped(self) -> set[str]:
        """The participants whose group changed since this was last asked."""
        moved, self.regrouped = self.regrouped, set()
        return moved


@dataclass(frozen=True)
class Regrouped:
    """The groups recomputed from a snapshot, and who moved from the groups cached when it was
    taken (`base`): worked out apart as well, as it walks everyone placed."""

    opinions: Opinions | None
    base: Cached | None
    moved: frozenset[str]


def regroup(snapshot: Snapshot, base: Cached | None) -> Regrouped:
    """The groups of a snapshot's answers, and who moved from `base` (the cache when the
    snapshot was taken). Reads only what it is given, none of which changes: any thread may
    run it."""
    found = grid.regroup(snapshot)
    moved = frozenset() if base is None else frozenset(_moved(base.opinions, found))
    return Regrouped(found, base, moved)


def of(state: ActivityState) -> Conversation:
    """The statements, stances and opinion groups of an activity (its kind_state)."""
    found: Conversation = state.kind_state
    return found


def _moved(before: Opinions | None, after: Opinions | None) -> set[str]:
    """The participants placed in another group, or placed or unplaced, from one grouping to
    the next."""
    old = {} if before is None else before.placed
    new = {} if after is None else after.placed
    return {
        pid
        for pid in old.keys() | new.keys()
        if pid not in old or pid not in new or old[pid].group != new[pid].group
    }
