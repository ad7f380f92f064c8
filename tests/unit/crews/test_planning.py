"""The auto-assignment plan as a pure function: examples, then properties checked by hypothesis."""

from __future__ import annotations

import random
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from aquastream.domain.crews.model import Preferences
from aquastream.domain.crews.planning import Plan, PlanCrew, UnplacedReason, plan_crews

EVENT = uuid.UUID(int=0)


def people(n: int, start: int = 1) -> list[uuid.UUID]:
    return [uuid.UUID(int=i) for i in range(start, start + n)]


def crews(*capacities: int) -> list[PlanCrew]:
    return [PlanCrew(uuid.UUID(int=1000 + i), f"Crew {i}", capacity) for i, capacity in enumerate(capacities)]


def sizes(plan: Plan, crew_list: list[PlanCrew]) -> list[int]:
    placed = [p.crew_id for p in plan.placements]
    return [len(c.members) + placed.count(c.id) for c in crew_list]


def crew_of(plan: Plan) -> dict[uuid.UUID, uuid.UUID]:
    return {p.user_id: p.crew_id for p in plan.placements}


def test_without_preferences_the_sizes_are_balanced() -> None:
    boats = crews(4, 4, 4)
    plan = plan_crews(boats, people(10))
    assert sorted(sizes(plan, boats)) == [3, 3, 4]
    assert plan.unplaced == ()


def test_people_beyond_capacity_are_reported_unplaced() -> None:
    boats = crews(2, 1)
    plan = plan_crews(boats, people(5))
    assert sizes(plan, boats) == [2, 1]
    assert [u.reason for u in plan.unplaced] == [UnplacedReason.NO_FREE_SEAT] * 2


def test_a_prefer_pair_goes_together() -> None:
    a, b, c, d = people(4)
    boats = crews(2, 2)
    plan = plan_crews(boats, [a, b, c, d], [Preferences(EVENT, a, prefer=(d,))])
    where = crew_of(plan)
    assert where[a] == where[d]
    assert (plan.preferences_satisfied, plan.preferences_considered) == (1, 1)


def test_an_avoid_pair_is_never_together_even_with_people_already_seated() -> None:
    a, b, c = people(3)
    boats = [PlanCrew(uuid.UUID(int=1000), "Crew 0", 3, members=(c,)), *crews(0, 3)[1:]]
    plan = plan_crews(boats, [a, b], [Preferences(EVENT, c, avoid=(a,)), Preferences(EVENT, a, avoid=(b,))])
    where = crew_of(plan)
    assert where[a] != boats[0].id
    assert where[a] != where.get(b)


def test_someone_who_avoids_everyone_with_room_is_unplaced_with_the_reason() -> None:
    a, b = people(2)
    boats = [PlanCrew(uuid.UUID(int=1000), "Crew 0", 3, members=(b,))]
    plan = plan_crews(boats, [a], [Preferences(EVENT, a, avoid=(b,))])
    assert [(u.user_id, u.reason) for u in plan.unplaced] == [(a, UnplacedReason.AVOIDED)]


def test_a_group_too_big_for_one_crew_is_split_and_its_wishes_partly_met() -> None:
    a, b, c = people(3)
    boats = crews(2, 2)
    prefs = [Preferences(EVENT, a, prefer=(b, c)), Preferences(EVENT, b, prefer=(c,))]
    plan = plan_crews(boats, [a, b, c], prefs)
    assert plan.unplaced == ()
    assert plan.preferences_considered == 3
    assert plan.preferences_satisfied == 1


def test_a_prefer_group_is_not_merged_across_an_avoid_pair() -> None:
    a, b, c = people(3)
    prefs = [
        Preferences(EVENT, a, prefer=(b,)),
        Preferences(EVENT, b, prefer=(c,)),
        Preferences(EVENT, c, avoid=(a,)),
    ]
    plan = plan_crews(crews(3, 3), [a, b, c], prefs)
    assert crew_of(plan)[a] != crew_of(plan)[c]


def test_a_newcomer_joins_the_crew_of_the_person_they_prefer() -> None:
    a, b = people(2)
    friend_boat = PlanCrew(uuid.UUID(int=1001), "Crew 1", 4, members=(b,))
    plan = plan_crews([*crews(4), friend_boat], [a], [Preferences(EVENT, a, prefer=(b,))])
    assert crew_of(plan)[a] == friend_boat.id
    assert plan.preferences_satisfied == 1


def test_the_plan_does_not_depend_on_the_order_of_the_input() -> None:
    group = people(12)
    boats = crews(3, 5, 4)
    prefs = [Preferences(EVENT, group[0], prefer=(group[5],), avoid=(group[1],))]
    shuffled_people, shuffled_boats = group[:], boats[:]
    random.Random(7).shuffle(shuffled_people)
    random.Random(8).shuffle(shuffled_boats)
    assert plan_crews(boats, group, prefs) == plan_crews(shuffled_boats, shuffled_people, prefs)


# --- properties ---------------------------------------------------------------------------


@st.composite
def situations(draw: st.DrawFn) -> tuple[list[PlanCrew], list[uuid.UUID], list[Preferences]]:
    everyone = people(draw(st.integers(0, 24)))
    seated_count = draw(st.integers(0, len(everyone) // 3))
    seated, newcomers = everyone[:seated_count], everyone[seated_count:]
    capacities = draw(st.lists(st.integers(1, 6), min_size=1, max_size=5))
    crew_list = []
    for i, capacity in enumerate(capacities):
        members = tuple(seated[i :: len(capacities)][:capacity])
        crew_list.append(PlanCrew(uuid.UUID(int=1000 + i), f"Crew {i}", capacity, members))
    prefs = []
    if everyone:
        for person in everyone:
            prefer = draw(st.lists(st.sampled_from(everyone), max_size=3, unique=True))
            avoid = draw(st.lists(st.sampled_from(everyone), max_size=2, unique=True))
            avoid = [x for x in avoid if x not in prefer]
            if prefer or avoid:
                prefs.append(Preferences(EVENT, person, tuple(prefer), tuple(avoid)))
    return crew_list, newcomers, prefs


def _final_members(crew_list: list[PlanCrew], plan: Plan) -> dict[uuid.UUID, list[uuid.UUID]]:
    members = {c.id: list(c.members) for c in crew_list}
    for p in plan.placements:
        members[p.crew_id].append(p.user_id)
    return members


def _avoids(prefs: list[Preferences]) -> set[frozenset[uuid.UUID]]:
    return {frozenset((p.user_id, other)) for p in prefs for other in p.avoid if other != p.user_id}


@settings(max_examples=300, deadline=None)
@given(situations())
def test_capacity_avoid_pairs_and_everyone_accounted_for(
    situation: tuple[list[PlanCrew], list[uuid.UUID], list[Preferences]],
) -> None:
    crew_list, newcomers, prefs = situation
    plan = plan_crews(crew_list, newcomers, prefs)
    members = _final_members(crew_list, plan)
    avoid = _avoids(prefs)

    for crew in crew_list:
        assert len(members[crew.id]) <= crew.capacity
    for placement in plan.placements:
        mates = members[placement.crew_id]
        assert not any(frozenset((placement.user_id, m)) in avoid for m in mates if m != placement.user_id)
    accounted = [p.user_id for p in plan.placements] + [u.user_id for u in plan.unplaced]
    assert sorted(accounted) == sorted(newcomers)
    for unplaced in plan.unplaced:
        with_room = [c for c in crew_list if len(members[c.id]) < c.capacity]
        if unplaced.reason is UnplacedReason.NO_FREE_SEAT:
            assert with_room == []
        else:  # the crews that still have room hold someone they clash with
            assert all(
                any(frozenset((unplaced.user_id, m)) in avoid for m in members[c.id]) for c in with_room
            )
    assert 0 <= plan.preferences_satisfied <= plan.preferences_considered


@settings(max_examples=200, deadline=None)
@given(situations(), st.randoms(use_true_random=False))
def test_the_same_situation_gives_the_same_plan(
    situation: tuple[list[PlanCrew], list[uuid.UUID], list[Preferences]], rng: random.Random
) -> None:
    crew_list, newcomers, prefs = situation
    first = plan_crews(crew_list, newcomers, prefs)
    shuffled_crews, shuffled_people, shuffled_prefs = crew_list[:], newcomers[:], prefs[:]
    rng.shuffle(shuffled_crews)
    rng.shuffle(shuffled_people)
    rng.shuffle(shuffled_prefs)
    assert plan_crews(shuffled_crews, shuffled_people, shuffled_prefs) == first


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 8), min_size=1, max_size=6), st.integers(0, 40))
def test_without_preferences_no_crew_with_room_is_two_smaller_than_another(
    capacities: list[int], count: int
) -> None:
    crew_list = crews(*capacities)
    plan = plan_crews(crew_list, people(count))
    final = sizes(plan, crew_list)
    for i, crew in enumerate(crew_list):
        if final[i] < crew.capacity:
            assert max(final) - final[i] <= 1
    assert len(plan.placements) == min(count, sum(capacities))


def test_a_party_goes_whole_into_a_crew_with_room_before_balance_counts() -> None:
    boats = crews(3, 3)
    party = people(3, start=1)
    plan = plan_crews(boats, [*party, *people(2, start=10)], parties=[party])
    assert {crew_of(plan)[p] for p in party} in ({boats[0].id}, {boats[1].id})
    assert plan.unplaced == ()
    assert (plan.preferences_satisfied, plan.preferences_considered) == (0, 0)  # parties are no wishes


def test_a_party_too_big_for_any_crew_fills_one_crew_first() -> None:
    boats = crews(3, 3)
    party = people(4, start=1)
    plan = plan_crews(boats, party, parties=[party])
    assert sorted(sizes(plan, boats)) == [1, 3]
    assert plan.unplaced == ()
