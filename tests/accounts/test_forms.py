from django.contrib.auth.signals import user_login_failed
from django.test import RequestFactory

from accounts.forms import SignInForm


def test_a_username_longer_than_any_account_is_a_form_error_not_a_failed_sign_in(db):
    """Django never checks the sign-in username's length; a long one reached authenticate()
    and the record of the failed sign-in (varchar 255) broke on PostgreSQL."""
    failed = []
    user_login_failed.connect(failed.append, dispatch_uid="test-long-username")
    try:
        request = RequestFactory().post("/accounts/login/")
        form = SignInForm(request, data={"username": "x" * 100_000, "password": "pw"})
        assert not form.is_valid()
    finally:
        user_login_failed.disconnect(dispatch_uid="test-long-username")

    assert "at most 150 characters" in form.errors["username"][0]
    assert failed == []


def test_a_nul_in_the_username_is_a_form_error(db):
    form = SignInForm(RequestFactory().post("/"), data={"username": "a\x00b", "password": "pw"})

    assert not form.is_valid()
    assert form.errors["username"] == ["Null characters are not allowed."]
