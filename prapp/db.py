"""Database helpers: an index operation for migrations, a fast bulk insert."""

from functools import partial

from django.db import connections, models
from django.db.migrations.operations.base import Operation


class AddTrigramIndex(Operation):
    """A pg_trgm GIN index on a search-key column, created on PostgreSQL only.

    Django's GinIndex in ``Meta.indexes`` would break migrations on SQLite, the
    embedded default, so the index lives in migrations alone. Search keys are
    romanized ASCII, so the trigrams exist whatever the database's LC_CTYPE.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field: str, name: str):
        self.model_name = model_name
        self.field = field
        self.name = name

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not self._applies(schema_editor):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.field).column
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON "
            f"{quote(model._meta.db_table)} USING gin ({quote(column)} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor):
            schema_editor.execute(
                f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}"
            )

    def describe(self):
        return f"Create trigram index {self.name} on {self.model_name}.{self.field}"

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "field": self.field, "name": self.name},
        )


def _converter(field, connection):
    """How one field's Python value becomes a query parameter, as cheaply as it can."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.CharField | models.TextField | models.IntegerField):
        return None  # passed as they are
    if isinstance(field, models.ForeignKey) and isinstance(
        field.target_field, models.AutoField | models.IntegerField
    ):
        return None
    return partial(field.get_db_prep_save, connection=connection)


def insert_ignoring_conflicts(objs, *, using: str = "default") -> int:
    """Insert model instances, skipping rows that break a unique constraint; count.

    What ``bulk_create(ignore_conflicts=True)`` does, for the hot paths that
    insert thousands of rows: one multi-row ``INSERT … ON CONFLICT DO NOTHING``
    per batch (SQLite and PostgreSQL), without compiling each value through
    the ORM. Every concrete field is written but the automatic primary key
    (``auto_now`` fields get their time as in ``save()``); the instances get
    no primary key back. Returns how many rows the database inserted.
    """
    objs = list(objs)
    if not objs:
        return 0
    connection = connections[using]
    meta = objs[0]._meta
    columns = [
        field
        for field in meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]
    stamped = {
        field.attname
        for field in columns
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    converters = [_converter(field, connection) for field in columns]
    quote = connection.ops.quote_name
    # Names from the model's meta, quoted by the backend: no user input.
    head = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in columns)}) VALUES "
    )
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # PostgreSQL has no limit of its own below the protocol's 65,535.
    limit = connection.features.max_query_params or 65_535
    batch = max(1, min(500, limit // len(columns)))
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params = []
            for obj in chunk:
                for field, convert in zip(columns, converters, strict=True):
                    if field.attname in stamped:
                        value = field.pre_save(obj, add=True)
                    else:
                        value = getattr(obj, field.attname)
                    params.append(convert(value) if convert else value)
            cursor.execute(
                head + ", ".join([row_sql] * len(chunk)) + " ON CONFLICT DO NOTHING",
                params,
            )
            inserted += max(cursor.rowcount, 0)
    return inserted
