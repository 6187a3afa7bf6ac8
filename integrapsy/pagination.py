"""Pagination of long lists without counting every row."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows and one more: a list of a whole team's cases shows "1,000+".

    Counting a large team's cases (or a search over them) reads every matching row; counting
    up to the cap reads at most ``cap + 1`` of them. Pages beyond the cap are not offered: a
    filter or a search narrows the list instead.

    With ``ids_first``, a queryset is read in two queries: the ids of its first ``cap + 1``
    rows in the list's order (their number is the count, a slice of them the page), then the
    page's rows by id. For a search: counted apart, PostgreSQL read every candidate of every
    team for a common name (80 ms) where the ordered ids walk the team's cases by date until
    they have enough (8 ms). Without it, the count reads any rows up to the cap (an index that
    holds the filter's columns answers it alone), then the page.

    With ``fields``, the page's rows are ``values()`` of those fields (counted and ordered on
    the queryset as it is: the joins the fields need are in the page's query alone). With
    ``rows_of_ids`` (and ``ids_first``), the page's rows are what it gives for the page's ids,
    in the list's order: a query prepared once (``integrapsy.prepared``) rather than the
    queryset's, built, compiled and planned at each request.
    """

    def __init__(
        self, object_list, per_page, *, cap: int = 1000, ids_first: bool = False, fields=(), rows_of_ids=None, **kwargs
    ):
        self.cap = cap
        self.ids_first = ids_first
        self.fields = tuple(fields)
        self.rows_of_ids = rows_of_ids
        super().__init__(object_list, per_page, **kwargs)

    def _rows(self, rows):
        return rows.values(*self.fields) if self.fields else rows

    @cached_property
    def _ids(self) -> list | None:
        rows = self.object_list
        if not self.ids_first or not hasattr(rows, "values_list"):
            return None
        return list(rows.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        if self._ids is not None:
            return len(self._ids)
        rows = self.object_list
        if hasattr(rows, "order_by"):  # any rows up to the cap will do: no order to follow
            return rows.order_by()[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    def page(self, number):
        if self._ids is None and not self.fields:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self._ids is not None:
            ids = self._ids[bottom : bottom + self.per_page]
            if not ids:
                rows = []
            elif self.rows_of_ids is not None:
                rows = self.rows_of_ids(ids)
            else:
                rows = list(self._rows(self.object_list.filter(pk__in=ids)))
        else:  # as ``Paginator.page``, the rows read as ``values()``
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            rows = list(self._rows(self.object_list)[bottom:top])
        return self._get_page(rows, number, self)

    @cached_property
    def num_pages(self) -> int:
        if self.capped:
            return ceil(self.cap / self.per_page)
        return super().num_pages

    @property
    def capped(self) -> bool:
        """True when there are more rows than the cap (``count`` is then ``cap + 1``)."""
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.cap)


SHORTLIST = 10  # the best suggestions shown first; the rest when asked for


@dataclass(frozen=True)
class Shortlist:
    """The first of a ranked list, and how many more there are (shown on asking)."""

    shown: list
    hidden: int


def shortlist(ranked: list, *, everyone: bool = False, size: int = SHORTLIST) -> Shortlist:
    """The best ``size`` of ``ranked``, or all of them when the user asked for everyone."""
    if everyone:
        return Shortlist(list(ranked), 0)
    return Shortlist(list(ranked[:size]), max(len(ranked) - size, 0))


def asks_for_everyone(request) -> bool:
    """``?all=1``: the whole ranked list, not its first suggestions."""
    return request.GET.get("all") == "1"


def everyone_query(request) -> str:
    """The page's query string asking for the whole list."""
    query = request.GET.copy()
    query["all"] = "1"
    return query.urlencode()
