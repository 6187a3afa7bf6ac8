"""Figures of each row of a list read in its own query, as a subquery per row."""

from django.db.models import Aggregate, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def row_total(rows: QuerySet, *, per: str, total: Aggregate) -> Coalesce:
    """``total`` over the ``rows`` of the outer row (0 when it has none), as an annotation.

    ``rows`` are filtered on an ``OuterRef`` to the outer row and grouped by ``per``, the path
    that filter follows: the subquery answers one group, the outer row's.
    """
    return Coalesce(
        Subquery(
            rows.order_by().values(per).annotate(_total=total).values("_total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
