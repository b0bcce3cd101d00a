"""The one permission policy: who may do what to a unit's data for a period, and what they see.

Two questions, answered here and nowhere else (after Wagtail's permission policies):

* "may this user do this action to this unit in this period?" — `may` / `require`, and for a
  batch of (unit, period) pairs `require_change_many`. The workflow state that governs a unit's
  period is the strictest state of any *containing* unit (itself, its district, its province)
  for any *containing* period (itself, its half-year, its year): locking Trà Vinh's 2021 locks
  Càng Long's quý I/2021 too. `CHANGE_NEEDS` says which permission each state asks for.
* "which units may they see?" — `visible_units`, the read scope that every list filters by.

An API token can narrow both (read-only, a set of units): the token's scope rides on the user
object (`TokenScope`), so the services, the bulk path and the web see the same limits.

The workflow states are the strings stored in `datavalues.Submission.state`; the submissions are
read through the app registry because the data-value app sits above this one.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from baocao.core.periods import Period, PeriodType
from baocao.ops.stamps import Kept
from baocao.orgunits.models import OrgUnit, UnitSuccession

from .models import DutyRule, Role

User = AbstractBaseUser | AnonymousUser

# Bumped whenever a membership or a succession is saved or deleted (signals in apps.py): the
# roots kept on a user object are read again after any change of who holds what.
_GRANTS_GENERATION = [0]


def grants_changed(**_: Any) -> None:
    _GRANTS_GENERATION[0] += 1


def _own_copy(grants: Grants) -> Grants:
    """The kept grants with units of their own (one copy per unit): a request may set attributes
    on what it gets, never on what the process keeps for every request."""
    units: dict[int, OrgUnit] = {}

    def mine(unit: OrgUnit) -> OrgUnit:
        if unit.pk not in units:
            units[unit.pk] = copy.copy(unit)
        return units[unit.pk]

    return Grants(
        {perm: [mine(u) for u in found] for perm, found in grants.roots.items()},
        {perm: [mine(u) for u in found] for perm, found in grants.granted.items()},
        grants.admin_at_top,
    )


class Perm(StrEnum):
    VIEW = "view"
    ENTER = "enter"
    APPROVE = "approve"
    ADMIN = "admin"


class Action(StrEnum):
    """What can be done to a unit's data for a period."""

    VIEW = "view"
    CHANGE = "change"  # values, registers, imports
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # the sender takes back what nobody approved yet
    RETURN = "return"  # an approver sends it back with a comment
    APPROVE = "approve"
    LOCK = "lock"
    REOPEN = "reopen"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.VIEWER: frozenset({Perm.VIEW}),
    Role.DATA_ENTRY: frozenset({Perm.VIEW, Perm.ENTER}),
    Role.APPROVER: frozenset({Perm.VIEW, Perm.ENTER, Perm.APPROVE}),
    Role.ADMIN: frozenset(Perm),
}

DRAFT, SUBMITTED, APPROVED, LOCKED = "draft", "submitted", "approved", "locked"
STATE_LABELS = {DRAFT: "đang nhập", SUBMITTED: "đã gửi", APPROVED: "đã duyệt", LOCKED: "đã khóa"}
# Strictest first: the state that governs a unit's period is the first of these found on it or
# on anything containing it.
STRICTNESS = (LOCKED, APPROVED, SUBMITTED)

# THE rule: the permission that changing data needs in each state. None: nobody changes it —
# an approved or locked figure is changed only by reopening it (audited, with a reason).
CHANGE_NEEDS: dict[str, Perm | None] = {DRAFT: Perm.ENTER, SUBMITTED: Perm.APPROVE, APPROVED: None, LOCKED: None}

# Workflow moves: action → (states it starts from, permission it needs).
TRANSITIONS: dict[Action, tuple[frozenset[str], Perm]] = {
    Action.SUBMIT: (frozenset({DRAFT}), Perm.ENTER),
    Action.WITHDRAW: (frozenset({SUBMITTED}), Perm.ENTER),
    Action.RETURN: (frozenset({SUBMITTED}), Perm.APPROVE),
    Action.APPROVE: (frozenset({SUBMITTED}), Perm.APPROVE),
    Action.LOCK: (frozenset({APPROVED}), Perm.APPROVE),
    Action.REOPEN: (frozenset({SUBMITTED, APPROVED, LOCKED}), Perm.APPROVE),
}
# Reopening locked data is for administrators.
REOPEN_LOCKED_NEEDS = Perm.ADMIN


class AccessDenied(PermissionDenied):
    """Raised with a message that names the user, the permission and the unit."""


@dataclass(frozen=True)
class TokenScope:
    """What an API token narrows its user's rights to."""

    read_only: bool = False
    unit_paths: tuple[str, ...] = ()  # empty: every unit the user has

    def allows(self, perm: Perm) -> bool:
        return perm == Perm.VIEW or not self.read_only

    def covers(self, unit: OrgUnit) -> bool:
        return not self.unit_paths or any(unit.path.startswith(p) for p in self.unit_paths)


@dataclass(frozen=True)
class Governing:
    """The state that governs a unit's period, and the unit and period that carry it."""

    state: str
    unit: OrgUnit | None = None
    period: str = ""


@dataclass(frozen=True)
class Known:
    """A unit's period as read for one page (`PeriodPolicy.known`): its submission (None: none
    yet, a draft) and the state that governs it."""

    submission: Any
    governing: Governing


@dataclass(frozen=True)
class Grants:
    """What a user's roles give, per permission: the roots of the subtrees they hold it on (their
    granted units and the units those succeeded) and the granted units alone; and whether they
    administer a top unit (a system administrator)."""

    roots: dict[Perm, list[OrgUnit]]
    granted: dict[Perm, list[OrgUnit]]
    admin_at_top: bool


@dataclass
class Pair:
    unit: OrgUnit
    period: Period
    regime: str
    where: str = ""
    ancestors: list[int] = field(default_factory=list)


def _name(user: User) -> str:
    return user.get_username() if user.is_authenticated else "người dùng chưa đăng nhập"


def _period_label(code: str) -> str:
    try:
        return Period.from_code(code).label
    except Exception:
        return code


def containing_periods(period: Period) -> list[str]:
    """The period's own code and those of the half-year and year (quarter, …) containing it."""
    codes = [period.code]
    for ptype in (PeriodType.QUARTER, PeriodType.HALF, PeriodType.YEAR):
        if ptype.months > period.type.months:
            codes.append(period.parent(ptype).code)
    return codes


def ancestor_ids(unit: OrgUnit) -> list[int]:
    """The unit and every unit containing it, from its materialised path ("/1/5/12/")."""
    return [int(p) for p in unit.path.strip("/").split("/") if p] or [unit.pk]


class PeriodPolicy:
    """Role grants on org-unit subtrees, the workflow state of periods, separation of duties."""

    # -- who holds which permission where ------------------------------------------------------
    def _scope(self, user: User) -> TokenScope | None:
        return getattr(user, "token_scope", None)

    def _is_superuser(self, user: User) -> bool:
        return bool(user.is_authenticated and getattr(user, "is_superuser", False) and user.is_active)

    def _grants(self, user: User) -> Grants:
        """The user's grants, read once (one read of the memberships, and one of the successions
        per generation of predecessors only where a granted unit has any) and kept on the user
        object (one request's) until a membership or a succession changes in this process: a
        form's save asks for two permissions, a page's menu whether they administer anything.
        Between requests the process keeps them while the memberships, the units and the
        successions are unchanged in the database (their stamps, `ops/stamps.py`: a change made
        by any process is seen by the next question asked)."""
        kept = user.__dict__.get("_baocao_grants")
        if kept is None or user.__dict__.get("_baocao_grants_generation") != _GRANTS_GENERATION[0]:
            generation = _GRANTS_GENERATION[0]
            if user.pk is None:
                kept = self._read_grants(user)
            else:
                kept = _KEPT_GRANTS.get(user.pk, lambda: self._read_grants(user))
            user.__dict__["_baocao_grants"] = kept
            user.__dict__["_baocao_grants_generation"] = generation
        return kept

    def _roots(self, user: User, perm: Perm) -> list[OrgUnit]:
        """The units whose subtrees ``user`` holds ``perm`` on."""
        return list(self._grants(user).roots.get(perm, ()))

    def granted_units(self, user: User, perm: Perm) -> list[OrgUnit]:
        """The units of the user's own roles that carry ``perm`` (not the units they succeeded)."""
        return list(self._grants(user).granted.get(perm, ())) if user.is_authenticated else []

    def _read_grants(self, user: User) -> Grants:
        """Each permission's roots: the units of the user's grants that carry it and, as a grant on
        a successor covers the units it succeeded, their predecessors, generation by generation."""
        granted: dict[int, OrgUnit] = {}
        perms_of: dict[int, set[Perm]] = {}
        frontier: list[OrgUnit] = []
        admin_at_top = False
        has_preds = Exists(UnitSuccession.objects.filter(successor_id=OuterRef("pk")))
        memberships = OrgUnit.objects.filter(memberships__user_id=user.pk).annotate(
            role=F("memberships__role"), has_preds=has_preds
        )
        for unit in memberships:
            if unit.pk not in granted and unit.has_preds:
                frontier.append(unit)
            granted.setdefault(unit.pk, unit)
            perms_of.setdefault(unit.pk, set()).update(ROLE_PERMS.get(unit.role, ()))
            admin_at_top = admin_at_top or (unit.role == Role.ADMIN and unit.parent_id is None)
        own = {perm: [unit for pk, unit in granted.items() if perm in perms_of[pk]] for perm in Perm}
        while frontier:
            preds = OrgUnit.objects.filter(successions__successor__in=frontier).annotate(
                successor_pk=F("successions__successor_id"), has_preds=has_preds
            )
            frontier = []
            for pred in preds:
                inherited, mine = perms_of[pred.successor_pk], perms_of.setdefault(pred.pk, set())
                granted.setdefault(pred.pk, pred)
                if not inherited <= mine:
                    mine |= inherited
                    if pred.has_preds:
                        frontier.append(pred)
        roots = {perm: [unit for pk, unit in granted.items() if perm in perms_of[pk]] for perm in Perm}
        return Grants(roots, own, admin_at_top)

    def visible_units(self, user: User, perm: Perm = Perm.VIEW) -> QuerySet[OrgUnit]:
        """All units on which `user` holds `perm` — the read scope every list filters by."""
        scope = self._scope(user)
        if not user.is_authenticated or not user.is_active or (scope and not scope.allows(perm)):
            return OrgUnit.objects.none()
        units = OrgUnit.objects.all()
        if not self._is_superuser(user):
            roots = self._roots(user, perm)
            if not roots:
                return OrgUnit.objects.none()
            units = units.filter(reduce(operator.or_, (Q(path__startswith=r.path) for r in roots)))
        if scope and scope.unit_paths:
            units = units.filter(reduce(operator.or_, (Q(path__startswith=p) for p in scope.unit_paths)))
        return units

    def can(self, user: User, unit: OrgUnit, perm: Perm) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        scope = self._scope(user)
        if scope and not (scope.allows(perm) and scope.covers(unit)):
            return False
        if self._is_superuser(user):
            return True
        return any(unit.path.startswith(root.path) for root in self._roots(user, perm))

    def require_perm(self, user: User, unit: OrgUnit, perm: Perm) -> None:
        if not self.can(user, unit, perm):
            raise AccessDenied(f"{_name(user)} không có quyền '{perm.value}' trên đơn vị {unit}")

    def is_system_admin(self, user: User) -> bool:
        scope = self._scope(user)
        if scope and (scope.read_only or scope.unit_paths):
            return False
        if self._is_superuser(user):
            return True
        # an administrator's role on a top unit (the country), from the grants read for the request
        return bool(user.is_authenticated and user.is_active and self._grants(user).admin_at_top)

    # -- the state of a period -------------------------------------------------------------------
    def _submissions(self) -> Any:
        return apps.get_model("datavalues", "Submission").objects

    def governing_state(self, unit: OrgUnit, period: Period, regime: str) -> Governing:
        """The strictest state on the unit or any unit containing it, for the period or any
        period containing it (draft when there is none)."""
        found = self._closed_states([Pair(unit, period, regime, ancestors=ancestor_ids(unit))])
        return self._governing(found, ancestor_ids(unit), containing_periods(period), regime)

    def _closed_states(self, pairs: list[Pair]) -> dict[tuple[int, str, str], str]:
        """The states other than draft of the pairs' units and every unit containing them, for
        their periods and every period containing them (one query, written out: through the ORM
        building it cost every save ~0.5 ms)."""
        if not pairs:
            return {}
        unit_ids = sorted({a for p in pairs for a in p.ancestors})
        codes = sorted({c for period in {p.period for p in pairs} for c in containing_periods(period)})
        regimes = sorted({p.regime for p in pairs})
        meta = self._submissions().model._meta
        connection = connections[self._submissions().db]
        quote = connection.ops.quote_name
        unit, period, regime, state = (quote(meta.get_field(f).column) for f in ("unit", "period", "regime", "state"))

        def marks(items: list[Any]) -> str:
            return ", ".join(["%s"] * len(items))

        sql = (
            f"SELECT {unit}, {period}, {regime}, {state} FROM {quote(meta.db_table)} "
            f"WHERE {unit} IN ({marks(unit_ids)}) AND {period} IN ({marks(codes)}) "
            f"AND {regime} IN ({marks(regimes)}) AND {state} <> %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*unit_ids, *codes, *regimes, DRAFT])
            return {(u, per, reg): st for u, per, reg, st in cursor.fetchall()}

    def _units(self, found: dict[tuple[int, str, str], str]) -> dict[int, OrgUnit]:
        return OrgUnit.objects.in_bulk({u for u, _, _ in found}) if found else {}

    def _governing(
        self,
        found: dict[tuple[int, str, str], str],
        units: list[int],
        periods: list[str],
        regime: str,
        known: dict[int, OrgUnit] | None = None,
    ) -> Governing:
        if not found:
            return Governing(DRAFT)
        best: tuple[int, int, str] | None = None
        for unit_id in units:
            for code in periods:
                state = found.get((unit_id, code, regime))
                if state in STRICTNESS and (best is None or STRICTNESS.index(state) < best[0]):
                    best = (STRICTNESS.index(state), unit_id, code)
        if best is None:
            return Governing(DRAFT)
        unit = (known or {}).get(best[1]) or OrgUnit.objects.get(pk=best[1])
        return Governing(STRICTNESS[best[0]], unit, best[2])

    def _change_refusal(
        self, user: User, pair: Pair, gov: Governing, memo: dict[tuple[int, Perm], bool] | None = None
    ) -> str | None:
        """Why `user` may not change the pair's data under `gov` (None: they may)."""
        memo = {} if memo is None else memo

        def has(perm: Perm) -> bool:
            if (pair.unit.pk, perm) not in memo:
                memo[pair.unit.pk, perm] = self.can(user, pair.unit, perm)
            return memo[pair.unit.pk, perm]

        needed = CHANGE_NEEDS[gov.state]
        if needed is not None and has(Perm.ENTER) and has(needed):
            return None
        where = f"{pair.where}: " if pair.where else ""
        if gov.state == DRAFT:
            return f"{where}{_name(user)} không có quyền '{Perm.ENTER.value}' trên đơn vị {pair.unit}"
        assert gov.unit is not None
        held = f"{gov.unit.name} {_period_label(gov.period)}"
        own = f"{pair.unit.name} {pair.period.label}"
        through = "" if held == own else f" (thuộc số liệu {held})"
        if gov.state == LOCKED:
            return f"{where}Số liệu {own}{through} đã khóa: quản trị viên cần mở lại trước khi sửa"
        if gov.state == APPROVED:
            return f"{where}Số liệu {own}{through} đã duyệt: chỉ sửa được sau khi mở lại (có ghi lý do)"
        return f"{where}Số liệu {own}{through} đã gửi: cần mở lại trước khi sửa"

    # -- the questions ---------------------------------------------------------------------------
    def may_change(self, user: User, unit: OrgUnit, period: Period, regime: str, known: Known | None = None) -> bool:
        pair = Pair(unit, period, regime, ancestors=ancestor_ids(unit))
        gov = known.governing if known is not None else self.governing_state(unit, period, regime)
        return self._change_refusal(user, pair, gov) is None

    def require_change_many(self, user: User, items: Iterable[tuple[OrgUnit, Period, str, str]]) -> None:
        """Refuse the whole batch when any (unit, period, regime, where) may not be changed by
        `user`: no permission to enter data, or the period (or a unit or period containing it)
        is submitted, approved or locked. One query for the states, whatever the batch size."""
        pairs: dict[tuple[int, str, str], Pair] = {}
        for unit, period, regime, where in items:
            pairs.setdefault((unit.pk, period.code, regime), Pair(unit, period, regime, where, ancestor_ids(unit)))
        checked: set[int] = set()
        for pair in pairs.values():
            if pair.unit.pk not in checked:
                checked.add(pair.unit.pk)
                if not self.can(user, pair.unit, Perm.ENTER):
                    raise AccessDenied(self._change_refusal(user, pair, Governing(DRAFT)))
        self.require_open_many(user, list(pairs.values()))

    def require_open_many(self, user: User, pairs: list[Pair]) -> None:
        """The state half of `require_change_many` (the bulk path checks entry rights by set)."""
        found = self._closed_states(pairs)
        if not found:
            return
        known = self._units(found)
        memo: dict[tuple[int, Perm], bool] = {}
        containers = {period: containing_periods(period) for period in {p.period for p in pairs}}
        for pair in pairs:
            gov = self._governing(found, pair.ancestors, containers[pair.period], pair.regime, known)
            refusal = self._change_refusal(user, pair, gov, memo) if gov.state != DRAFT else None
            if refusal:
                raise AccessDenied(refusal)

    def require_change(self, user: User, unit: OrgUnit, period: Period, regime: str, where: str = "") -> None:
        self.require_change_many(user, [(unit, period, regime, where)])

    def transition_refusal(
        self, user: User, action: Action, unit: OrgUnit, submission: Any, governing: Governing | None = None
    ) -> str | None:
        """Why `user` may not move the submission by `action` (None: they may). Permission only;
        whether the move is valid from the current state is `TRANSITIONS`' first part.
        `governing`: the submission's governing state when already read (`Known`)."""
        _, perm = TRANSITIONS[action]
        if action == Action.REOPEN and submission.state == LOCKED:
            perm = REOPEN_LOCKED_NEEDS
        if not self.can(user, unit, perm):
            return f"{_name(user)} không có quyền '{perm.value}' trên đơn vị {unit}"
        if refusal := self._closed_from_above(unit, submission, governing):
            return refusal
        if (
            action == Action.APPROVE
            and submission.submitted_by_id is not None
            and submission.submitted_by_id == user.pk
            and self.separates_duties(unit)
        ):
            return (
                f"{_name(user)} đã gửi số liệu {unit.name} kỳ này nên không tự phê duyệt được: "
                "cần một người phê duyệt khác"
            )
        return None

    def _closed_from_above(self, unit: OrgUnit, submission: Any, governing: Governing | None = None) -> str | None:
        """A unit's period inside an approved or locked unit or period does not move on its own:
        the containing data has to be reopened first."""
        period = Period.from_code(submission.period)
        gov = governing if governing is not None else self.governing_state(unit, period, submission.regime)
        if gov.state not in (APPROVED, LOCKED) or gov.unit is None:
            return None
        if gov.unit.pk == unit.pk and gov.period == period.code:
            return None
        return (
            f"Số liệu {unit.name} {period.label} thuộc số liệu {gov.unit.name} {_period_label(gov.period)} "
            f"({STATE_LABELS[gov.state]}): cần mở lại số liệu đó trước"
        )

    def may(
        self, user: User, action: Action, unit: OrgUnit, period: Period, regime: str, known: Known | None = None
    ) -> bool:
        """The one yes/no for buttons and links (the services ask the same through `require`).
        `known`: the unit's period as already read (`known()`), for a page asking several."""
        if action == Action.VIEW:
            return self.can(user, unit, Perm.VIEW)
        if action == Action.CHANGE:
            return self.may_change(user, unit, period, regime, known)
        if known is not None:
            submission = known.submission
        else:
            submission = self._submissions().filter(unit=unit, period=period.code, regime=regime).first()
        state = submission.state if submission else DRAFT
        if state not in TRANSITIONS[action][0]:
            return False
        if submission is None:
            submission = self._submissions().model(unit=unit, period=period.code, regime=regime)
        governing = known.governing if known is not None else None
        return self.transition_refusal(user, action, unit, submission, governing) is None

    def known(self, unit: OrgUnit, period: Period, regime: str) -> Known:
        """A unit's period read once for a page that asks several questions about it (may it be
        changed, which workflow moves, is it closed from above): its submission, with the people
        named on it, and its governing state. Two queries, instead of two per question."""
        submission = (
            self._submissions().filter(unit=unit, period=period.code, regime=regime)
            .select_related("submitted_by", "approved_by", "returned_by").first()
        )  # fmt: skip
        return Known(submission, self.governing_state(unit, period, regime))

    # -- separation of duties ----------------------------------------------------------------------
    def separates_duties(self, unit: OrgUnit) -> bool:
        """Whether a person may not approve what they submitted: the rule set on the nearest unit
        containing `unit` (normally its province); on when none is set."""
        rules = {
            r.unit_id: r.submitter_may_not_approve for r in DutyRule.objects.filter(unit_id__in=ancestor_ids(unit))
        }
        for unit_id in reversed(ancestor_ids(unit)):
            if unit_id in rules:
                return rules[unit_id]
        return True


# A user's grants between requests (by user id), while the tables they are read from are unchanged.
_KEPT_GRANTS: Kept[int, Grants] = Kept(
    ("access_membership", "orgunits_orgunit", "orgunits_unitsuccession"), give=_own_copy
)

POLICY = PeriodPolicy()
