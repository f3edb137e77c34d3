"""Many rows of one table written in one statement, without per-row overhead.

SQLAlchemy's Core `insert` with a list of rows builds and checks the
parameters of every row in Python, which costs more than SQLite's own
work for the thousands of blocks of a specification. Here the statement is
compiled once for the dialect, each column's own type converts its values
(JSON, dates), and the driver's `executemany` does the rest.
"""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter
from typing import Any

__all__ = ["insert_rows"]


def insert_rows(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session.

    A column missing from the rows takes its Python-side default once, the
    same for every row (`created_at` is the moment of the insert).
    """
    if not rows:
        return
    from sqlalchemy import insert

    connection = session.connection()
    dialect = connection.dialect
    defaults = _defaults(table, rows[0])
    names = [*rows[0], *defaults]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    converters = [_converter(table.c[name], dialect) for name in rows[0]]
    fixed = [
        (name, value if to_db is None else to_db(value))
        for (name, value), to_db in zip(
            defaults.items(),
            [_converter(table.c[name], dialect) for name in defaults],
            strict=True,
        )
    ]
    # Column by column: each converter runs over one list, and the rows are
    # zipped together in C at the end.
    columns = {
        name: _converted(list(map(itemgetter(name), rows)), to_db)
        for name, to_db in zip(rows[0], converters, strict=True)
    }
    columns.update({name: repeat(value, len(rows)) for name, value in fixed})
    if compiled.positional:
        parameters: list[Any] = list(
            zip(*[columns[name] for name in compiled.positiontup], strict=False)
        )
    else:
        parameters = [
            dict(zip(names, values, strict=True))
            for values in zip(*[columns[name] for name in names], strict=False)
        ]
    connection.exec_driver_sql(str(compiled), parameters)


def _converted(values: list[Any], to_db: Any) -> list[Any]:
    return values if to_db is None else list(map(to_db, values))


def _defaults(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for column in table.columns:
        default = column.default
        if column.name in row or default is None or column.primary_key:
            continue
        if default.is_callable:
            found[column.name] = default.arg(None)
        elif default.is_scalar:
            found[column.name] = default.arg
    return found


def _converter(column: Any, dialect: Any) -> Any:
    to_db = column.type.dialect_impl(dialect).bind_processor(dialect)
    return None if to_db is None else _remembering(to_db)


def _remembering(to_db: Any) -> Any:
    # The blocks of one section share their heading path: serialise each
    # distinct (hashable) value once.
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = found = to_db(value)
            return found
        except TypeError:  # a dict or a list: not hashable
            return to_db(value)

    return convert
