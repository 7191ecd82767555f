from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """Photo and video archive."""

    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own bomb guard, in every process that loads the project (the
        # web and the worker); archive.processing.open_image also checks the
        # setting itself and turns the warning into a refusal.
        Image.MAX_IMAGE_PIXELS = settings.ARCHIVE_MAX_IMAGE_PIXELS
