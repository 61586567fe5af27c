from django.db import migrations

# PostgreSQL keeps a row's long values (an article's body and search vector, about 3 KB together) in the row
# itself until it passes about 2 KB. Moved out of line, an article's row is about 200 bytes: a search then
# visits a fifth of the pages to find its newest matches (their dates and status live in the row), and every
# scan of the article table reads less. Rows are moved as they are next written.
TARGET = 128


def narrow_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE articles_article SET (toast_tuple_target = {TARGET})")


def restore_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_listing_indexes"),
    ]

    operations = [
        migrations.RunPython(narrow_rows, restore_rows),
    ]
