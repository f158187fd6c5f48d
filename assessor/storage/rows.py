"""Validating the big tables of a campaign file (scores, audit) in batches, and keeping their rows small.

A file of 5,000 candidates holds about 100,000 rows. Validated a batch at a time, the
parsed data of each batch is let go as its models are made, so the data and the models
are never both whole in memory; once made, the rows share what they can.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat
from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError

from assessor.core.campaign import Allocation, AuditEntry, Score
from assessor.core.fields import Record


class RowCompactor:
    """Makes the rows of a big table smaller in memory and quicker to read, once validated.

    Two things are shared. Pydantic keeps on each model the set of fields given to it
    (about 700 bytes): rows given every field share one such set, which then never changes
    (assigning a field adds a name it already holds; a copy gets its own set), so 90,000
    scores do not carry 60 MB of identical sets. And the ids a row names (candidate,
    criterion, stage, panel member) become one shared string per id instead of a copy per
    row, the same string the candidate or criterion itself holds: 20 MB less at 90,000
    scores, and a lookup by id then matches by identity without reading the text.
    """

    ID_FIELDS: ClassVar[dict[type[Record], tuple[str, ...]]] = {
        Score: ("candidate", "criterion", "stage", "assessor"),
        Allocation: ("stage", "candidate", "assessor"),
        AuditEntry: ("who",),
    }

    def __init__(self, known_ids: dict[str, str] | None = None) -> None:
        self.ids: dict[str, str] = known_ids if known_ids is not None else {}
        self._field_sets: dict[type[Record], set[str]] = {}

    def compact(self, rows: list[Record]) -> None:
        """Share field sets and ids among `rows` (valid models of one table), in place."""
        if not rows:
            return
        model = type(rows[0])
        fields = self.ID_FIELDS.get(model, ())
        complete = len(model.model_fields)
        shared = self._field_sets.get(model)
        one_copy = self.ids.setdefault
        for row in rows:
            values = row.__dict__
            for field in fields:
                text = values[field]
                values[field] = one_copy(text, text)
            given = row.__pydantic_fields_set__
            if type(given) is set and len(given) == complete and given is not shared:
                if shared is None:
                    shared = self._field_sets[model] = given
                else:
                    object.__setattr__(row, "__pydantic_fields_set__", shared)


ROW_BATCH = 2000
"""Rows of a big table validated at a time when a load may take its data apart."""


@cache
def _rows_adapter(model: type[Record]) -> TypeAdapter[list[Record]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def validate_rows_in_batches(data: dict[str, Any]) -> bool:
    """Turn the big tables of rows in `data` into models a batch at a time; False if one is wrong.

    Each batch's plain tables are let go as its models are made, so a big file's data and
    its models are never both whole in memory. The campaign's validation then takes the
    models as they are (strict mode does not validate a model twice). On a wrong row the
    caller reads the file again and validates it whole, to report every problem in place.
    """
    compactor: RowCompactor | None = None
    for table, model in (("scores", Score), ("allocation", Allocation), ("audit", AuditEntry)):
        rows = data.get(table)
        if not isinstance(rows, list) or len(rows) <= ROW_BATCH:
            continue
        if compactor is None:
            compactor = RowCompactor(_ids_named_in(data))
        adapter = _rows_adapter(model)
        made: list[Record] = []
        for start in range(0, len(rows), ROW_BATCH):
            end = min(start + ROW_BATCH, len(rows))
            try:
                batch = adapter.validate_python(rows[start:end])
            except ValidationError:
                return False
            compactor.compact(batch)
            made += batch
            rows[start:end] = repeat(None, end - start)
        data[table] = made
    return True


def _ids_named_in(data: dict[str, Any]) -> dict[str, str]:
    """The ids of the small tables (stages, criteria, panel, candidates), each its own key:
    rows that name them then hold these very strings."""
    ids: dict[str, str] = {}
    for table in ("stages", "criteria", "panel", "candidates"):
        rows = data.get(table)
        for row in rows if isinstance(rows, list) else ():
            value = row.get("id") if isinstance(row, dict) else None
            if type(value) is str:
                ids.setdefault(value, value)
    return ids
