"""Settings read from KOLPACT_* variables: what they take, and a clear error otherwise."""

import pytest

from application.infrastructure.settings import ConfigurationError, Settings


def test_sign_in_links_by_email_are_off_unless_asked_for() -> None:
    assert Settings.from_environ({}).sign_in_links == "off"
    assert Settings.from_environ({"KOLPACT_SIGN_IN_LINKS": "print"}).sign_in_links == "print"
    with pytest.raises(ConfigurationError, match="print or off, not mail"):
        Settings.from_environ({"KOLPACT_SIGN_IN_LINKS": "mail"})
