"""The catalog list's facets in memory, for one catalog version: which entry has which facet
value, and the list's two orders as the database sorts them.

Filtering by facets, counting every facet's options and ordering a page's ids are numpy
operations over it, so a filtered list costs the same at 10,000 entries as at 70: no SQL
walks thousands of wide entry rows to count or sort them, and only the page's rows are read.
``load_facet_table`` reads it in five narrow queries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models.functions import Lower
from scipy import sparse

from .models import Maintenance, Project

# The list's facets (``filters.FACETS``): a column of the entry, or a many-valued relation.
SCALAR_FACETS = {
    "kind": "kind",
    "category": "category__slug",
    "maintenance": "maintenance",
    "org": "org",
    "license": "license",
}
M2M_FACETS = {
    "framework": "frameworks",
    "data_type": "data_types",
    "scale": "scales",
    "scenario": "scenarios",
}
FACET_NAMES = (*SCALAR_FACETS, *M2M_FACETS)

# The "maintenance" sort: active first, then low activity, then unmaintained; names within.
MAINTENANCE_RANK = {
    Maintenance.ACTIVE.value: 0,
    Maintenance.LOW_ACTIVITY.value: 1,
    Maintenance.UNMAINTAINED.value: 2,
}

Mask = np.ndarray  # one bool per entry (row of the table)


@dataclass(frozen=True)
class FacetCounts:
    """One facet's option counts among some entries (what the list page labels).

    ``with_value``: value -> entries with it. With a selection (values of a facet are ORed):
    ``in_selection`` entries have a selected value, ``outside`` counts the values among the
    others (what ticking one more value would add).
    """

    with_value: dict[str | None, int]
    in_selection: int = 0
    outside: dict[str | None, int] | None = None


@dataclass(frozen=True)
class FacetTable:
    """Rows are entries in the list's name order (``Lower(name), slug``, the database's
    collation); columns are (facet, value) pairs; 1 where the entry has the value."""

    pks: np.ndarray  # row -> primary key
    position: dict[str, int]  # slug -> row
    columns: dict[tuple[str, str | None], int]  # (facet, value) -> column
    matrix: sparse.csc_matrix
    by_maintenance: np.ndarray  # rows in the "maintenance" sort's order

    @classmethod
    def of(
        cls,
        *,
        pks: Sequence[int],
        slugs: Sequence[str],
        values: Mapping[str, tuple[Sequence[int], Sequence[str | None]]],
    ) -> FacetTable:
        """Entries ``pks`` / ``slugs`` in name order; ``values``: facet -> (rows, values), the
        entry at ``rows[i]`` has ``values[i]``."""
        columns: dict[tuple[str, str | None], int] = {}
        row_parts: list[np.ndarray] = []
        column_parts: list[np.ndarray] = []
        for facet in FACET_NAMES:
            rows, found = values.get(facet, ((), ()))
            codes: dict[str | None, int] = {}
            column_of = [codes.setdefault(value, len(codes)) for value in found]
            first = len(columns)
            columns.update({(facet, value): first + code for value, code in codes.items()})
            row_parts.append(np.asarray(rows, dtype=np.int64))
            column_parts.append(np.asarray(column_of, dtype=np.int64) + first)
        row_ids, column_ids = np.concatenate(row_parts), np.concatenate(column_parts)
        matrix = sparse.csc_matrix(
            (np.ones(len(row_ids), dtype=np.float32), (row_ids, column_ids)),
            shape=(len(pks), len(columns)),
        )
        rank = np.full(len(pks), len(MAINTENANCE_RANK), dtype=np.int8)
        rows, found = values.get("maintenance", ((), ()))
        for row, value in zip(rows, found, strict=True):
            rank[row] = MAINTENANCE_RANK.get(value, len(MAINTENANCE_RANK))
        return cls(
            pks=np.asarray(pks, dtype=np.int64),
            position={slug: row for row, slug in enumerate(slugs)},
            columns=columns,
            matrix=matrix,
            by_maintenance=np.argsort(rank, kind="stable"),
        )

    def __len__(self) -> int:
        return len(self.pks)

    # --- selecting ----------------------------------------------------------------------

    def everything(self) -> Mask:
        return np.ones(len(self), dtype=bool)

    def with_any(self, facet: str, values: Collection[str | None]) -> Mask:
        """The entries with at least one of ``values`` of ``facet``."""
        found = [self.columns[(facet, v)] for v in values if (facet, v) in self.columns]
        if not found:
            return np.zeros(len(self), dtype=bool)
        return np.asarray(self.matrix[:, found].sum(axis=1)).ravel() > 0

    def of_slugs(self, slugs: Iterable[str]) -> Mask:
        mask = np.zeros(len(self), dtype=bool)
        mask[[self.position[s] for s in slugs if s in self.position]] = True
        return mask

    def of_pks(self, pks: Collection[int]) -> Mask:
        return np.isin(self.pks, np.fromiter(pks, dtype=np.int64, count=len(pks)))

    def matching(self, selections: Mapping[str, Collection[str]], *, within: Mask) -> Mask:
        """The entries of ``within`` with a selected value of every facet in ``selections``
        (values of one facet ORed, facets ANDed)."""
        mask = within.copy()
        for facet, values in selections.items():
            if values:
                mask &= self.with_any(facet, values)
        return mask

    # --- counting and ordering ----------------------------------------------------------

    def _totals(self, mask: Mask) -> np.ndarray:
        return self.matrix.T @ mask.astype(np.float32)

    def _of_facet(self, totals: np.ndarray, facet: str) -> dict[str | None, int]:
        return {
            value: int(totals[column])
            for (name, value), column in self.columns.items()
            if name == facet and totals[column]
        }

    def counts(self, mask: Mask) -> dict[str, dict[str | None, int]]:
        """Facet -> value -> how many entries of ``mask`` have it."""
        totals = self._totals(mask)
        return {facet: self._of_facet(totals, facet) for facet in FACET_NAMES}

    def facet_counts(self, facet: str, *, base: Mask, selected: Collection[str]) -> FacetCounts:
        """``facet``'s counts among ``base`` (the entries matching every *other* filter)."""
        with_value = self._of_facet(self._totals(base), facet)
        if not selected:
            return FacetCounts(with_value=with_value)
        chosen = base & self.with_any(facet, selected)
        return FacetCounts(
            with_value=with_value,
            in_selection=int(chosen.sum()),
            outside=self._of_facet(self._totals(base & ~chosen), facet),
        )

    def ordered_pks(self, mask: Mask, *, by_maintenance: bool = False) -> list[int]:
        """The primary keys of ``mask``'s entries in the name (or maintenance) order."""
        if by_maintenance:
            rows = self.by_maintenance[mask[self.by_maintenance]]
        else:
            rows = np.flatnonzero(mask)
        return self.pks[rows].tolist()

    def first_by_value(self, mask: Mask, facet: str, *, count: int
                       ) -> tuple[dict[str | None, int], list[int]]:
        """For each value of ``facet`` among ``mask``'s entries: how many have it, and the
        primary keys of the first ``count`` of them in the name order."""
        totals: dict[str | None, int] = {}
        rows: list[int] = []
        for (name, value), column in self.columns.items():
            if name != facet:
                continue
            having = np.sort(
                self.matrix.indices[self.matrix.indptr[column] : self.matrix.indptr[column + 1]]
            )
            chosen = having[mask[having]]
            if len(chosen):
                totals[value] = len(chosen)
                rows.extend(chosen[:count].tolist())
        return totals, self.pks[rows].tolist()

    def ranked_pks(self, mask: Mask, *, relevance: Mapping[str, float]) -> list[int]:
        """The primary keys of ``mask``'s entries that ``relevance`` scores, best first; equal
        scores in the name order."""
        rows = [
            (-score, row)
            for slug, score in relevance.items()
            if (row := self.position.get(slug)) is not None and mask[row]
        ]
        rows.sort()
        return [int(self.pks[row]) for _score, row in rows]


def load_facet_table() -> FacetTable:
    """Every entry's facet values in the list's name order: five narrow queries."""
    rows = list(
        Project.objects.order_by(Lower("name"), "slug").values_list(
            "pk", "slug", *SCALAR_FACETS.values()
        )
    )
    every = range(len(rows))
    values: dict[str, tuple[Sequence[int], Sequence[str | None]]] = {
        facet: (every, [row[2 + i] for row in rows]) for i, facet in enumerate(SCALAR_FACETS)
    }
    row_of = {row[0]: i for i, row in enumerate(rows)}
    for facet, relation in M2M_FACETS.items():
        field = Project._meta.get_field(relation)
        links = [
            (row_of[pk], term)
            for pk, term in field.remote_field.through.objects.values_list(
                f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}__slug"
            )
            if pk in row_of  # an entry added since its row was read
        ]
        values[facet] = ([row for row, _ in links], [term for _, term in links])
    return FacetTable.of(pks=[row[0] for row in rows], slugs=[row[1] for row in rows],
                         values=values)
