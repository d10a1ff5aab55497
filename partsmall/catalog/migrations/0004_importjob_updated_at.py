import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="更新时间"
            ),
            preserve_default=False,
        ),
    ]
