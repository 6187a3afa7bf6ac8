import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.gdpr import providers as gdpr_providers
from cases.households import selectors, services
from cases.models import Case, FamilyRelation, HouseholdLink, Person, TimelineEvent
from cases.persons import services as person_services
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.tests.erasure import rows_containing


@pytest.fixture
def family(team, coordinator):
    mother, son = CaseFactory(team=team, person__first_name="Amina"), CaseFactory(team=team, person__first_name="Yonas")
    return mother, son


def _close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=timezone.localdate())


def _add(actor, a: Case, b: Case, relation=FamilyRelation.CHILD):
    return services.household_link_add(person=a.person, relative=b.person, relation=relation, actor=actor)


class TestAdd:
    def test_both_join_one_household_and_read_the_link_from_their_side(self, family, coordinator):
        mother, son = family
        link = _add(coordinator, mother, son)
        mother.person.refresh_from_db()
        son.person.refresh_from_db()
        assert mother.person.household_id == son.person.household_id is not None
        assert link.relation == FamilyRelation.CHILD
        [seen_by_mother] = selectors.household_members(user=coordinator, person=mother.person)
        [seen_by_son] = selectors.household_members(user=coordinator, person=son.person)
        assert (seen_by_mother.person, seen_by_mother.relation, seen_by_mother.case) == (son.person, "child", son)
        assert (seen_by_son.person, seen_by_son.relation, seen_by_son.case) == (mother.person, "parent", mother)

    def test_guardian_reads_as_minor_in_their_care(self, family, coordinator):
        adult, minor = family
        services.household_link_add(
            person=minor.person, relative=adult.person, relation=FamilyRelation.GUARDIAN, actor=coordinator
        )
        adult.person.refresh_from_db()
        [m] = selectors.household_members(user=coordinator, person=adult.person)
        assert m.relation == FamilyRelation.WARD

    def test_it_is_on_both_timelines_and_in_the_audit_log(self, family, coordinator):
        mother, son = family
        _add(coordinator, mother, son)
        for case in family:
            event = TimelineEvent.objects.get(case=case, kind="household.member_added")
            assert "Yonas" in event.summary and "Amina" in event.summary
        assert AuditEvent.objects.filter(action="household.member_added").count() == 2

    def test_a_third_member_joins_the_same_household_and_two_households_become_one(self, team, coordinator):
        a, b, c, d = (CaseFactory(team=team) for _ in range(4))
        _add(coordinator, a, b)
        _add(coordinator, c, d, FamilyRelation.SIBLING)
        _add(coordinator, a, c, FamilyRelation.SPOUSE)
        households = set(Person.objects.filter(pk__in=[x.person.pk for x in (a, b, c, d)]).values_list("household_id"))
        assert len(households) == 1
        d.person.refresh_from_db()
        names = {m.person.pk: m.relation for m in selectors.household_members(user=coordinator, person=d.person)}
        assert names == {a.person.pk: "", b.person.pk: "", c.person.pk: "sibling"}
        # The members of the household that was folded in moved: each move is in the audit log.
        moved = AuditEvent.objects.filter(action="household.joined", actor=coordinator)
        assert set(moved.values_list("object_ref", flat=True)) == {str(c.person.code), str(d.person.code)}

    def test_the_household_events_read_in_the_readers_language(self, family, coordinator):
        from django.utils import translation

        mother, son = family
        _add(coordinator, mother, son)
        event = TimelineEvent.objects.get(case=mother, kind="household.member_added")
        from cases.timeline.kinds import summary_of

        with translation.override("en"):
            assert "(child)" in summary_of(event)
        assert event.data["relation"] == "child"

    def test_adding_oneself_is_refused_beside_the_field(self, family, coordinator):
        mother, _son = family
        with pytest.raises(ValidationError) as exc:
            _add(coordinator, mother, mother)
        assert "member" in exc.value.message_dict
        assert not HouseholdLink.objects.exists()

    def test_adding_twice_is_refused_either_way_round(self, family, coordinator):
        mother, son = family
        _add(coordinator, mother, son)
        mother.person.refresh_from_db()
        son.person.refresh_from_db()
        for a, b in ((mother, son), (son, mother)):
            with pytest.raises(ValidationError) as exc:
                _add(coordinator, a, b, FamilyRelation.OTHER)
            assert "member" in exc.value.message_dict
        assert HouseholdLink.objects.count() == 1

    def test_a_person_the_user_may_not_see_is_refused_beside_the_field(self, family, coordinator):
        mother, _son = family
        stranger = CaseFactory(team=TeamFactory())
        with pytest.raises(ValidationError) as exc:
            _add(coordinator, mother, stranger)
        assert "member" in exc.value.message_dict
        stranger.person.refresh_from_db()
        assert stranger.person.household_id is None

    def test_a_user_outside_the_team_may_not_change_the_household(self, family):
        mother, son = family
        outsider = make_user_with_role(Role.COORDINATOR, team=TeamFactory())
        with pytest.raises(PermissionDenied):
            _add(outsider, mother, son)


class TestRemove:
    def test_the_member_leaves_with_their_links_and_a_household_of_one_is_undone(self, family, coordinator):
        mother, son = family
        _add(coordinator, mother, son)
        mother.person.refresh_from_db()
        son.person.refresh_from_db()
        services.household_member_remove(person=mother.person, member=son.person, actor=coordinator)
        assert not HouseholdLink.objects.exists()
        assert set(Person.objects.values_list("household_id", flat=True)) == {None}
        assert TimelineEvent.objects.filter(kind="household.member_removed").count() == 2
        assert AuditEvent.objects.filter(action="household.member_removed").count() == 2

    def test_the_others_stay_together(self, team, coordinator):
        a, b, c = (CaseFactory(team=team) for _ in range(3))
        _add(coordinator, a, b)
        a.person.refresh_from_db()
        _add(coordinator, a, c)
        b.person.refresh_from_db()
        services.household_member_remove(person=a.person, member=b.person, actor=coordinator)
        a.person.refresh_from_db()
        c.person.refresh_from_db()
        assert a.person.household_id == c.person.household_id is not None
        assert [m.person for m in selectors.household_members(user=coordinator, person=a.person)] == [c.person]

    def test_someone_outside_the_household_is_refused(self, family, coordinator):
        mother, son = family
        with pytest.raises(ValidationError):
            services.household_member_remove(person=mother.person, member=son.person, actor=coordinator)


class TestMergeKeepsTheLinks:
    def test_the_duplicates_links_and_household_move_to_the_person_kept(self, team, coordinator):
        keep, duplicate, child, spouse = (CaseFactory(team=team) for _ in range(4))
        _add(coordinator, duplicate, child)
        duplicate.person.refresh_from_db()
        _add(coordinator, spouse, duplicate, FamilyRelation.SPOUSE)
        _close(duplicate)
        keep.person.refresh_from_db()
        duplicate.person.refresh_from_db()
        person_services.person_merge(keep=keep.person, duplicate=duplicate.person, actor=coordinator)
        keep.person.refresh_from_db()
        members = {m.person.pk: m.relation for m in selectors.household_members(user=coordinator, person=keep.person)}
        assert members == {child.person.pk: "child", spouse.person.pk: "spouse"}
        assert not HouseholdLink.objects.filter(person=duplicate.person).exists()
        assert not HouseholdLink.objects.filter(relative=duplicate.person).exists()

    def test_a_link_between_the_two_records_goes_and_shared_relatives_are_not_doubled(self, team, coordinator):
        keep, duplicate, child = (CaseFactory(team=team) for _ in range(3))
        _add(coordinator, keep, duplicate, FamilyRelation.OTHER)
        for c in (keep, duplicate):
            c.person.refresh_from_db()
        _add(coordinator, keep, child)
        duplicate.person.refresh_from_db()
        _add(coordinator, duplicate, child)
        _close(duplicate)
        for c in (keep, duplicate):
            c.person.refresh_from_db()
        person_services.person_merge(keep=keep.person, duplicate=duplicate.person, actor=coordinator)
        assert list(HouseholdLink.objects.values_list("person_id", "relative_id", "relation")) == [
            (keep.person.pk, child.person.pk, "child")
        ]
        keep.person.refresh_from_db()
        assert keep.person.household_id is not None


class TestGdpr:
    def test_the_export_lists_the_household_and_erasure_removes_it(self, family, coordinator):
        mother, son = family
        _add(coordinator, mother, son)
        mother.person.refresh_from_db()
        sections = {s.key: s for s in gdpr_providers.subject_data(mother.person)}
        assert [r["value"] for r in sections["household"].rows] == [son.person.display_name]
        assert sections["household"].rows[0]["label"] == str(FamilyRelation.CHILD.label)
        _close(mother)
        surname = mother.person.last_name
        person_services.person_anonymise(person=mother.person, actor=None, reason="Art. 17 request")
        assert not HouseholdLink.objects.exists()
        assert set(Person.objects.values_list("household_id", flat=True)) == {None}
        # The son's timeline named her: no longer.
        assert rows_containing(surname) == []
        assert TimelineEvent.objects.filter(case=son, kind="household.member_added").get().summary == "—"


class TestDaySheetNames:
    def test_only_the_others_of_the_list_in_the_same_household(self, db):
        a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
        household = services.household_new()
        Person.objects.filter(pk__in=[a.pk, b.pk]).update(household=household)
        for p in (a, b, c):
            p.refresh_from_db()
        names = selectors.household_names_by_person(persons=[a, b, c])
        assert names == {a.pk: [b.display_name], b.pk: [a.display_name]}
