from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person (用户). Logs in by mainland mobile number; may belong to several
    organizations, or to none (a car owner 车主)."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入 Django 管理后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = []  # noqa: RUF012

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.phone

    def get_full_name(self) -> str:
        return self.name or self.phone

    def get_short_name(self) -> str:
        return self.name or self.phone


class SmsCode(models.Model):
    """A one-time SMS verification code (短信验证码). Only its hash is stored."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("登录")
        REGISTER = "register", _("注册")
        RESET_PASSWORD = "reset_password", _("找回密码")
        APPLY = "apply", _("入驻申请")

    MAX_ATTEMPTS = 5

    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=128)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="accounts_sms_phone_created"),
            models.Index(fields=["ip", "created_at"], name="accounts_sms_ip_created"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} · {self.purpose}"

    def is_expired(self, now: Any) -> bool:
        return bool(now >= self.expires_at)

    @property
    def is_exhausted(self) -> bool:
        return self.attempts >= self.MAX_ATTEMPTS


class LoginAttempt(models.Model):
    """One login try, successful or not; failures in a window drive lock-out and captcha."""

    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="accounts_login_phone_created"),
            models.Index(fields=["ip", "created_at"], name="accounts_login_ip_created"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} · {'ok' if self.succeeded else 'failed'}"


class Consent(models.Model):
    """A person's agreement to a legal text in a given version (个人信息保护法 consent record)."""

    class Document(models.TextChoices):
        PRIVACY = "privacy", _("隐私政策")
        TERMS = "terms", _("用户协议")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("用户"))
    document = models.CharField(_("文件"), max_length=20, choices=Document.choices)
    version = models.CharField(_("版本"), max_length=20)
    accepted_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="accounts_consent_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.document} {self.version}"
