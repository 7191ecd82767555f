"""Database helpers shared by the apps' migrations."""

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
