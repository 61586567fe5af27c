from django.db import migrations


def create_default_publication(apps, schema_editor):
    """Every site presents one publication; editors rename it and add the ISSN in the admin."""
    Publication = apps.get_model("articles", "Publication")
    if not Publication.objects.exists():
        Publication.objects.create(name="Newsroom", language="en")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_default_publication, migrations.RunPython.noop)]
