"""The full-text index of tickets: a text row per ticket (SearchDocument), indexed by each database's own
full-text engine. Existing tickets are indexed by ``manage.py search_reindex``, not here (a million tickets
would hold the migration for minutes)."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "subject, labels, public_text, internal_text"

# SQLite: an FTS5 table over the document table's columns (external content: the text is stored once),
# kept in step by triggers, with the Porter stemmer over unicode61 (diacritics folded: "cafe" finds "café").
# A later migration that rebuilds tickets_searchdocument on SQLite (most ALTERs do) drops the triggers with
# the old table and must create them again.
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE tickets_search_fts USING fts5({COLUMNS},
        content='tickets_searchdocument', content_rowid='ticket_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER tickets_search_fts_insert AFTER INSERT ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(rowid, {COLUMNS})
        VALUES (new.ticket_id, new.subject, new.labels, new.public_text, new.internal_text);
    END""",
    f"""CREATE TRIGGER tickets_search_fts_delete AFTER DELETE ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.ticket_id, old.subject, old.labels, old.public_text, old.internal_text);
    END""",
    f"""CREATE TRIGGER tickets_search_fts_update AFTER UPDATE ON tickets_searchdocument BEGIN
        INSERT INTO tickets_search_fts(tickets_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.ticket_id, old.subject, old.labels, old.public_text, old.internal_text);
        INSERT INTO tickets_search_fts(rowid, {COLUMNS})
        VALUES (new.ticket_id, new.subject, new.labels, new.public_text, new.internal_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_search_fts_update",
    "DROP TRIGGER IF EXISTS tickets_search_fts_delete",
    "DROP TRIGGER IF EXISTS tickets_search_fts_insert",
    "DROP TABLE IF EXISTS tickets_search_fts",
]

# PostgreSQL: generated tsvector columns (English configuration; subject A, number/names/emails/file names
# B, thread text C), one without the internal notes for those who may not read them, each under a GIN index.
_PUBLIC = """setweight(to_tsvector('english'::regconfig, subject), 'A')
    || setweight(to_tsvector('english'::regconfig, labels), 'B')
    || setweight(to_tsvector('english'::regconfig, public_text), 'C')"""
POSTGRES_FORWARD = [
    f"""ALTER TABLE tickets_searchdocument
        ADD COLUMN public_vector tsvector GENERATED ALWAYS AS ({_PUBLIC}) STORED,
        ADD COLUMN full_vector tsvector GENERATED ALWAYS AS ({_PUBLIC}
            || setweight(to_tsvector('english'::regconfig, internal_text), 'C')) STORED""",
    "CREATE INDEX tickets_search_public_gin ON tickets_searchdocument USING gin (public_vector)",
    "CREATE INDEX tickets_search_full_gin ON tickets_searchdocument USING gin (full_vector)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE tickets_searchdocument DROP COLUMN IF EXISTS full_vector, DROP COLUMN IF EXISTS public_vector"
]


class VendorSQL(migrations.RunSQL):
    """RunSQL on one database engine only: elsewhere it does nothing."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0015_canned_mentions_tasks"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="tickets.ticket",
                    ),
                ),
                ("subject", models.TextField(blank=True)),
                ("labels", models.TextField(blank=True)),
                ("public_text", models.TextField(blank=True)),
                ("internal_text", models.TextField(blank=True)),
                ("source_updated_at", models.DateTimeField()),
                ("indexed_at", models.DateTimeField()),
            ],
        ),
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
