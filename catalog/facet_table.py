"""Which entries have which facet value, for one catalog version (``textstore``): counting the
list's facet options among any set of entries (a search's matches) is one sparse product, not
nine GROUP BY queries over an IN list of thousands of ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .documents import EntryRow

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


def row_values(row: EntryRow, facet: str) -> tuple[str | None, ...]:
    """One entry's values of ``facet`` (what the SQL counts count), read from its row."""
    if facet == "category":
        return (row.category.slug if row.category else None,)
    if facet in SCALAR_FACETS:
        return (getattr(row, facet),)
    return tuple(term.slug for term in row.terms(M2M_FACETS[facet]))


@dataclass(frozen=True)
class FacetTable:
    """Entries by (facet, value): 1 where the entry has the value."""

    position: dict[str, int]  # slug -> row
    values: tuple[tuple[str, str | None], ...]  # column -> (facet, value)
    matrix: sparse.csc_matrix

    @classmethod
    def of(cls, rows: Sequence[EntryRow]) -> FacetTable:
        columns: dict[tuple[str, str | None], int] = {}
        row_ids: list[int] = []
        column_ids: list[int] = []
        for i, row in enumerate(rows):
            for facet in (*SCALAR_FACETS, *M2M_FACETS):
                for value in row_values(row, facet):
                    row_ids.append(i)
                    column_ids.append(columns.setdefault((facet, value), len(columns)))
        matrix = sparse.csc_matrix(
            (np.ones(len(row_ids)), (row_ids, column_ids)), shape=(len(rows), len(columns))
        )
        return cls({row.slug: i for i, row in enumerate(rows)}, tuple(columns), matrix)

    def counts(self, *, slugs: Iterable[str]) -> dict[str, dict[str | None, int]]:
        """Facet -> value -> how many of the entries ``slugs`` have it (unknown slugs
        ignored)."""
        chosen = np.zeros(self.matrix.shape[0])
        chosen[[self.position[s] for s in slugs if s in self.position]] = 1.0
        totals = self.matrix.T @ chosen
        found: dict[str, dict[str | None, int]] = {
            facet: {} for facet in (*SCALAR_FACETS, *M2M_FACETS)
        }
        for column in np.flatnonzero(totals).tolist():
            facet, value = self.values[column]
            found[facet][value] = int(totals[column])
        return found
