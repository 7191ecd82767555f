from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ActivityReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
            ],
            options={
                "verbose_name": "activity report",
                "permissions": [("view_report", "Can view activity reports")],
                "managed": False,
                "default_permissions": (),
            },
        ),
    ]
