"""Pagination of long lists without counting every row."""

from __future__ import annotations

from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows and one more: a list of a whole team's cases shows "1,000+".

    Counting a large team's cases (or a search over them) reads every matching row; counting
    up to the cap reads at most ``cap + 1`` of them. Pages beyond the cap are not offered: a
    filter or a search narrows the list instead.
    """

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

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
