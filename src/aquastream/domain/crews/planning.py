"""Auto-assignment as a pure function: who goes to which crew, and why some could not go anywhere.

The rules, in order of strength:

1. never above capacity, never an "avoid" pair in one crew (either side's avoid counts, and
   against the people already in a crew as well as the newly placed);
2. "prefer" pairs together where possible: people linked by preferences (either way) form
   groups, merged only while no avoid pair would end up inside and the group still fits the
   roomiest crew (so that friends' clusters stay whole instead of melting into one group too
   big for any crew); a group goes whole into one crew when one has room, else its members
   go one by one to the crew holding most of the people they are linked with;
3. balance: among equally good crews the one with the fewest members wins, so that without
   preferences the sizes of crews that are not full differ by at most one;
4. determinism: the input is sorted first (crews by name then id, people by id) and every
   tie is broken by name and id, so the same situation always gives the same plan.

Bigger groups are placed first: they are the hardest to fit.

Parties (the seats of one booking: a holder and their companions) are groups from the start,
before any preference: a party goes whole into one crew when one has room, and its people count
as linked, so that when it does not fit whole its members still follow each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from aquastream.domain.crews.model import Preferences


class UnplacedReason(StrEnum):
    NO_FREE_SEAT = "NO_FREE_SEAT"  # every crew of the type is full
    AVOIDED = "AVOIDED"  # the crews with room hold someone they avoid or who avoids them


@dataclass(frozen=True, slots=True)
class PlanCrew:
    """A crew as the plan sees it: its room and who is in it already."""

    id: uuid.UUID
    name: str
    capacity: int
    members: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    user_id: uuid.UUID
    crew_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Unplaced:
    user_id: uuid.UUID
    reason: UnplacedReason


@dataclass(frozen=True, slots=True)
class Plan:
    """``preferences_considered`` counts the "prefer" wishes (A wants B) that involve someone
    being placed; ``preferences_satisfied`` those whose two people share a crew afterwards."""

    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    preferences_satisfied: int
    preferences_considered: int


class _Relations:
    """Who avoids whom (symmetric) and who is linked by a preference (either direction)."""

    def __init__(
        self, preferences: Iterable[Preferences], parties: Iterable[Sequence[uuid.UUID]] = ()
    ) -> None:
        self.wishes: list[tuple[uuid.UUID, uuid.UUID]] = []
        self._avoid: set[frozenset[uuid.UUID]] = set()
        self._linked: dict[uuid.UUID, set[uuid.UUID]] = {}
        for party in parties:
            for person in party:
                self._linked.setdefault(person, set()).update(p for p in party if p != person)
        for preference in preferences:
            for other in preference.prefer:
                if other != preference.user_id:
                    self.wishes.append((preference.user_id, other))
                    self._linked.setdefault(preference.user_id, set()).add(other)
                    self._linked.setdefault(other, set()).add(preference.user_id)
            for other in preference.avoid:
                if other != preference.user_id:
                    self._avoid.add(frozenset((preference.user_id, other)))
        self.wishes.sort()

    def clash(self, people: Iterable[uuid.UUID], others: Iterable[uuid.UUID]) -> bool:
        others = list(others)
        return any(frozenset((a, b)) in self._avoid for a in people for b in others if a != b)

    def links(self, people: Iterable[uuid.UUID], others: Iterable[uuid.UUID]) -> int:
        others_set = set(others)
        return sum(len(self._linked.get(person, set()) & others_set) for person in people)


def _groups(
    people: Sequence[uuid.UUID],
    relations: _Relations,
    room: int,
    parties: Iterable[Sequence[uuid.UUID]] = (),
) -> list[list[uuid.UUID]]:
    """Parties first (those of their people still to place), then people linked by
    preferences, merged edge by edge (in sorted order) unless the merged group would hold an
    avoid pair or outgrow ``room`` (the most free places of one crew). Biggest first, then by
    smallest id."""
    group_of: dict[uuid.UUID, list[uuid.UUID]] = {person: [person] for person in people}
    for party in parties:
        present = sorted(p for p in party if p in group_of)
        if len(present) < 2:
            continue
        together = [*present]
        for person in present:
            group_of[person] = together
    edges = sorted({(min(a, b), max(a, b)) for a, b in relations.wishes if a in group_of and b in group_of})
    for a, b in edges:
        left, right = group_of[a], group_of[b]
        if left is right or len(left) + len(right) > room or relations.clash(left, right):
            continue
        left.extend(right)
        for person in right:
            group_of[person] = left
    unique = {id(group): sorted(group) for group in group_of.values()}
    return sorted(unique.values(), key=lambda group: (-len(group), group[0]))


def plan_crews(
    crews: Iterable[PlanCrew],
    people: Iterable[uuid.UUID],
    preferences: Iterable[Preferences] = (),
    parties: Iterable[Sequence[uuid.UUID]] = (),
) -> Plan:
    """Place ``people`` (nobody already in one of ``crews``) into ``crews``; ``parties`` are
    the people who came together (anyone of them may be in a crew already); see the module doc."""
    parties = [tuple(party) for party in parties]
    ordered = sorted(crews, key=lambda crew: (crew.name, crew.id))
    relations = _Relations(preferences, parties)
    members: dict[uuid.UUID, list[uuid.UUID]] = {crew.id: list(crew.members) for crew in ordered}
    to_place = sorted(set(people))
    crew_of: dict[uuid.UUID, uuid.UUID] = {p: crew.id for crew in ordered for p in crew.members}
    placements: list[Placement] = []
    unplaced: list[Unplaced] = []

    def free(crew: PlanCrew) -> int:
        return crew.capacity - len(members[crew.id])

    def best(candidates: Sequence[PlanCrew], people_: Sequence[uuid.UUID]) -> PlanCrew | None:
        fitting = [
            c for c in candidates if free(c) >= len(people_) and not relations.clash(people_, members[c.id])
        ]
        if not fitting:
            return None
        # Most links to the crew's people first, then the smallest crew; sorted input breaks ties.
        return min(fitting, key=lambda c: (-relations.links(people_, members[c.id]), len(members[c.id])))

    def place(person: uuid.UUID, crew: PlanCrew) -> None:
        members[crew.id].append(person)
        crew_of[person] = crew.id
        placements.append(Placement(person, crew.id))

    room = max((free(crew) for crew in ordered), default=0)
    for group in _groups(to_place, relations, room, parties):
        whole = best(ordered, group) if len(group) > 1 else None
        if whole is not None:
            for person in group:
                place(person, whole)
            continue
        for person in group:
            crew = best(ordered, [person])
            if crew is not None:
                place(person, crew)
            elif any(free(c) > 0 for c in ordered):
                unplaced.append(Unplaced(person, UnplacedReason.AVOIDED))
            else:
                unplaced.append(Unplaced(person, UnplacedReason.NO_FREE_SEAT))

    newcomers = set(to_place)
    considered = [(a, b) for a, b in relations.wishes if a in newcomers or b in newcomers]
    satisfied = sum(1 for a, b in considered if a in crew_of and crew_of.get(a) == crew_of.get(b))
    return Plan(tuple(placements), tuple(unplaced), satisfied, len(considered))
