from django.db import models


class Fortune(models.Model):
    """The table of the TechEmpower "fortunes" test, a control for the real pages."""

    id = models.IntegerField(primary_key=True)
    message = models.CharField(max_length=2048)

    def __str__(self):
        return self.message
