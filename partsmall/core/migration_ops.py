"""Migration operations shared by the apps."""

from typing import Any

from django.db import migrations


class RunSQLOn(migrations.RunSQL):
    """RunSQL on one database vendor only (the other vendors skip it)."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)
