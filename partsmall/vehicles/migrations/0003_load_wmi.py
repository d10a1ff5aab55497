"""Loads the World Manufacturer Identifiers of makers building in China (and some
importers) from partsmall/demo/data/wmi_cn.csv: real reference data, each row with its
source. `make` stays empty (no Make rows exist at migration time); `make_name` keeps the
source's make so that it can be linked later. Rows that carry two readings (LGB, LGH, LUC)
keep their text as the sources give it.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parents[2] / "demo" / "data" / "wmi_cn.csv"


def load(apps, schema_editor):
    Wmi = apps.get_model("vehicles", "Wmi")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Wmi.objects.update_or_create(
                code=row["wmi"].strip().upper(),
                defaults={
                    "manufacturer": row["manufacturer"].strip(),
                    "make_name": row["make"].strip(),
                    "country": row["country"].strip(),
                    "source": row["source"].strip(),
                },
            )


def unload(apps, schema_editor):
    Wmi = apps.get_model("vehicles", "Wmi")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        codes = [row["wmi"].strip().upper() for row in csv.DictReader(handle)]
    Wmi.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("vehicles", "0002_wmi_make_name")]

    operations = [migrations.RunPython(load, unload)]
