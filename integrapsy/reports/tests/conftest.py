import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files prepared in the background go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
