"""Sign-in, sign-out, password change and reset: Django's views, with login throttling."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from staydesk.accounts.throttle import login_failed, login_is_throttled, login_succeeded


def client_ip(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed sign-ins. Please wait a few minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if login_is_throttled(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username=username, ip=ip)
            raise
        login_succeeded(username=username, ip=ip)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/auth/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/auth/form.html"
    success_url = reverse_lazy("web:password_change_done")
    extra_context = {"title": _("Change password")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/auth/message.html"
    extra_context = {"title": _("Password changed"), "text": _("Your password was changed.")}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/auth/form.html"
    email_template_name = "web/auth/password_reset_email.txt"
    subject_template_name = "web/auth/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")
    extra_context = {"title": _("Reset your password")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/auth/message.html"
    extra_context = {
        "title": _("Check your email"),
        "text": _("If an account uses that address, we sent it a link to choose a new password."),
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/auth/form.html"
    success_url = reverse_lazy("web:password_reset_complete")
    extra_context = {"title": _("Choose a new password")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/auth/message.html"
    extra_context = {
        "title": _("Password set"),
        "text": _("Your new password is set. You can sign in."),
    }
